// SPDX-License-Identifier: GPL-2.0
/*
 * socktap: trace sockets, TCP, retransmits and backlog drops from a
 * loadable module, for machines where BPF is missing or locked down.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/init.h>
#include <linux/module.h>
#include <linux/moduleparam.h>

#include "socktap.h"

static char *disable;
module_param(disable, charp, 0444);
MODULE_PARM_DESC(disable,
		 "comma-separated probe names not to attach at load (see the probes file)");

static int __init socktap_init(void)
{
	int err;

	err = st_probes_init(disable);
	if (err)
		goto err_out;
	err = st_debugfs_init();
	if (err)
		goto err_probes;
	err = st_netlink_init();
	if (err)
		goto err_debugfs;

	pr_info("version %s loaded, %u probe points\n", SOCKTAP_VERSION,
		st_probes_count());
	return 0;

err_debugfs:
	st_debugfs_exit();
err_probes:
	st_probes_exit();
err_out:
	return err;
}

/* The reverse of init: interfaces go first so nobody reads freed probes. */
static void __exit socktap_exit(void)
{
	st_netlink_exit();
	st_debugfs_exit();
	st_probes_exit();
	pr_info("unloaded\n");
}

module_init(socktap_init);
module_exit(socktap_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("socktap developers");
MODULE_DESCRIPTION("Network stack tracing: sockets, TCP, retransmits, backlog drops");
MODULE_VERSION(SOCKTAP_VERSION);
