// SPDX-License-Identifier: GPL-2.0
/*
 * socktap: command-line front end of the socktap kernel module.
 */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "nl.h"

static const struct st_cmd st_cmds[] = {
	{ "status", "module, kernel, table use, event counters, filter, probe points", cmd_status },
	{ "probe", "list, enable or disable probe points", cmd_probe },
	{ "top", "per-process connections and socket I/O, refreshed", cmd_top },
	{ "hist", "histograms: connect, lifetime, tcp-sendmsg, ...; -P per process", cmd_hist },
	{ "watch", "stream events: connect, life, accept, state, retrans, reset, drop, ...", cmd_watch },
	{ "retrans", "TCP retransmissions as they happen, or per flow (-c)", cmd_retrans },
	{ "tcp", "TCP event counters: opens, segments, retransmits, resets, overflows", cmd_tcp },
	{ "backlog", "listeners: queue limits, overflows, accept/SYN queue histograms", cmd_backlog },
	{ "filter", "show, set or clear the module's pid/port/netns filter", cmd_filter },
	{ "reset", "empty the process table, histograms, TCP counters, listeners", cmd_reset },
	{ "funcs", "kernel functions a kprobe can attach to, by glob", cmd_funcs },
	{ "count", "calls per kernel function, by glob (funccount)", cmd_count },
	{ "stacks", "kernel/user stacks of a function's calls, counted (stackcount)", cmd_stacks },
	{ "metrics", "every counter and histogram for Prometheus (textfile collector)", cmd_metrics },
};

#define NCMDS (sizeof(st_cmds) / sizeof(st_cmds[0]))

static void usage(FILE *out)
{
	size_t i;

	fprintf(out,
		"usage: socktap [-j] [-h] [-V] COMMAND [ARGS]\n"
		"\n"
		"Network stack tracing from the socktap kernel module.\n"
		"\n"
		"commands:\n");
	for (i = 0; i < NCMDS; i++)
		fprintf(out, "  %-10s %s\n", st_cmds[i].name, st_cmds[i].summary);
	fprintf(out,
		"\n"
		"options:\n"
		"  -j   JSON output (also accepted after the command)\n"
		"  -h   this help; 'socktap COMMAND -h' for a command's\n"
		"  -V   CLI version\n"
		"\n"
		"exit status: 0 ok, 1 error, 2 usage, 3 module not loaded,\n"
		"             4 permission denied\n");
}

int st_common_opts(int argc, char **argv, struct st_opts *o,
		   void (*cmd_usage)(FILE *out))
{
	int c;

	optind = 1;
	while ((c = getopt(argc, argv, "+hj")) != -1) {
		switch (c) {
		case 'h':
			cmd_usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o->json = 1;
			break;
		default:
			cmd_usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	return -1;
}

int main(int argc, char **argv)
{
	struct st_opts o = { 0 };
	size_t i;
	int c;

	while ((c = getopt(argc, argv, "+hjV")) != -1) {
		switch (c) {
		case 'h':
			usage(stdout);
			return ST_EXIT_OK;
		case 'j':
			o.json = 1;
			break;
		case 'V':
			printf("socktap %s\n", SOCKTAP_VERSION);
			return ST_EXIT_OK;
		default:
			usage(stderr);
			return ST_EXIT_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return ST_EXIT_USAGE;
	}
	for (i = 0; i < NCMDS; i++)
		if (!strcmp(argv[optind], st_cmds[i].name))
			return st_cmds[i].run(argc - optind, argv + optind, &o);
	fprintf(stderr, "socktap: unknown command '%s' (see socktap -h)\n",
		argv[optind]);
	return ST_EXIT_USAGE;
}
