// SPDX-License-Identifier: GPL-2.0
/*
 * socktap: trace sockets, TCP, retransmits and backlog drops from a
 * loadable module, for machines where BPF is missing or locked down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "events.h"
#include "filter.h"
#include "funcs.h"
#include "hist.h"
#include "listentab.h"
#include "proctab.h"
#include "sizetab.h"
#include "socktab.h"
#include "socktap.h"
#include "stacks.h"

static char *disable;
module_param(disable, charp, 0444);
MODULE_PARM_DESC(disable,
		 "comma-separated probe names not to attach at load (see the probes file), or all");

/*
 * Data first (tables, histograms, queues), then the interfaces that read
 * it, then the probes that fill it; exit stops the probes first, then
 * the senders, then the interfaces, then frees the data.
 */
static int __init socktap_init(void)
{
	int err;

	err = st_filter_init();
	if (err)
		goto err_out;
	err = st_hist_init();
	if (err)
		goto err_filter;
	err = st_proctab_init();
	if (err)
		goto err_hist;
	err = st_sizetab_init();
	if (err)
		goto err_proctab;
	err = st_socktab_init();
	if (err)
		goto err_sizetab;
	err = st_listentab_init();
	if (err)
		goto err_socktab;
	err = st_events_init();
	if (err)
		goto err_listentab;
	err = st_probes_init(disable);
	if (err)
		goto err_events;
	err = st_funcs_init();
	if (err)
		goto err_probes;
	err = st_stacks_init();
	if (err)
		goto err_funcs;
	err = st_netlink_init();
	if (err)
		goto err_stacks;
	err = st_debugfs_init();
	if (err)
		goto err_netlink;
	st_probes_attach();

	pr_info("version %s loaded, %u probe points\n", SOCKTAP_VERSION,
		st_probes_count());
	return 0;

err_netlink:
	st_netlink_exit();
err_stacks:
	st_stacks_exit();
err_funcs:
	st_funcs_exit();
err_probes:
	st_probes_exit();
err_events:
	st_events_exit();
err_listentab:
	st_listentab_exit();
err_socktab:
	st_socktab_exit();
err_sizetab:
	st_sizetab_exit();
err_proctab:
	st_proctab_exit();
err_hist:
	st_hist_exit();
err_filter:
	st_filter_exit();
err_out:
	return err;
}

static void __exit socktap_exit(void)
{
	st_probes_detach();
	st_events_stop();
	st_debugfs_exit();
	st_netlink_exit();
	/* The run-time probes outlive their sockets only until here. */
	st_stacks_exit();
	st_funcs_exit();
	st_probes_exit();
	st_events_exit();
	st_listentab_exit();
	st_socktab_exit();
	st_sizetab_exit();
	st_proctab_exit();
	st_hist_exit();
	st_filter_exit();
	pr_info("unloaded\n");
}

module_init(socktap_init);
module_exit(socktap_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("socktap developers");
MODULE_DESCRIPTION("Network stack tracing: sockets, TCP, retransmits, backlog drops");
MODULE_VERSION(SOCKTAP_VERSION);
