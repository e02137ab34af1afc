/* SPDX-License-Identifier: GPL-2.0 */
/* Subcommands of the socktap CLI. */
#ifndef SOCKTAP_CLI_H
#define SOCKTAP_CLI_H

struct st_opts {
	int json;	/* -j: one JSON document on stdout */
};

struct st_cmd {
	const char *name;
	const char *summary;
	int (*run)(int argc, char **argv, struct st_opts *o);
};

int cmd_status(int argc, char **argv, struct st_opts *o);
int cmd_probe(int argc, char **argv, struct st_opts *o);
int cmd_top(int argc, char **argv, struct st_opts *o);
int cmd_hist(int argc, char **argv, struct st_opts *o);
int cmd_watch(int argc, char **argv, struct st_opts *o);
int cmd_retrans(int argc, char **argv, struct st_opts *o);
int cmd_tcp(int argc, char **argv, struct st_opts *o);
int cmd_backlog(int argc, char **argv, struct st_opts *o);
int cmd_filter(int argc, char **argv, struct st_opts *o);
int cmd_reset(int argc, char **argv, struct st_opts *o);
int cmd_funcs(int argc, char **argv, struct st_opts *o);
int cmd_count(int argc, char **argv, struct st_opts *o);
int cmd_stacks(int argc, char **argv, struct st_opts *o);
int cmd_metrics(int argc, char **argv, struct st_opts *o);

/* Parses -h/-j for a subcommand; returns -1 to continue, else an exit code. */
int st_common_opts(int argc, char **argv, struct st_opts *o,
		   void (*usage)(FILE *out));

#endif
