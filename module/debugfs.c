// SPDX-License-Identifier: GPL-2.0
/*
 * /sys/kernel/debug/socktap/: text views for `cat`.
 *
 * Read-only files only; anything that changes state goes through netlink,
 * where GENL_ADMIN_PERM and extack give permission checks and errors.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/debugfs.h>
#include <linux/err.h>
#include <linux/seq_file.h>

#include "socktap.h"

static struct dentry *st_dir;

static int st_version_show(struct seq_file *m, void *v)
{
	seq_printf(m, "%s\n", SOCKTAP_VERSION);
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_version);

static int st_probes_show(struct seq_file *m, void *v)
{
	unsigned int i;
	struct st_probe *p;

	seq_printf(m, "%-24s %-10s %-11s %12s %8s %5s  %s\n", "NAME", "KIND",
		   "STATE", "HITS", "MISSED", "ERR", "TARGET");
	st_probes_lock();
	for (i = 0; (p = st_probe_by_index(i)) != NULL; i++)
		seq_printf(m, "%-24s %-10s %-11s %12llu %8llu %5d  %s\n",
			   p->name, st_probe_kind_name(p->kind),
			   st_probe_state_name(p->state), st_probe_hits(p),
			   st_probe_missed(p), p->err, p->target);
	st_probes_unlock();
	return 0;
}
DEFINE_SHOW_ATTRIBUTE(st_probes);

int st_debugfs_init(void)
{
	struct dentry *d;

	st_dir = debugfs_create_dir(KBUILD_MODNAME, NULL);
	if (IS_ERR(st_dir)) {
		int err = PTR_ERR(st_dir);

		st_dir = NULL;
		/* A kernel without debugfs still has the netlink interface. */
		if (err == -ENODEV) {
			pr_warn("debugfs not available: netlink interface only\n");
			return 0;
		}
		return err;
	}
	d = debugfs_create_file("version", 0444, st_dir, NULL,
				&st_version_fops);
	if (IS_ERR(d))
		goto err;
	d = debugfs_create_file("probes", 0444, st_dir, NULL, &st_probes_fops);
	if (IS_ERR(d))
		goto err;
	return 0;

err:
	debugfs_remove_recursive(st_dir);
	st_dir = NULL;
	return PTR_ERR(d);
}

/* debugfs waits for readers still inside our show functions. */
void st_debugfs_exit(void)
{
	debugfs_remove_recursive(st_dir);
	st_dir = NULL;
}
