// SPDX-License-Identifier: GPL-2.0
#include "usym.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include <elfutils/libdwfl.h>

struct st_usym_proc {
	uint32_t pid;
	Dwfl *dwfl;		/* NULL: the snapshot failed */
	int err;		/* its errno then */
};

struct st_usyms {
	struct st_usym_proc *v;	/* sorted by pid */
	size_t n, cap;
};

/* Default places for separate debug files (/usr/lib/debug). */
static char *st_debuginfo_path;

static const Dwfl_Callbacks st_usym_callbacks = {
	.find_elf = dwfl_linux_proc_find_elf,
	.find_debuginfo = dwfl_standard_find_debuginfo,
	.debuginfo_path = &st_debuginfo_path,
};

struct st_usyms *st_usyms_new(void)
{
	return calloc(1, sizeof(struct st_usyms));
}

void st_usyms_free(struct st_usyms *u)
{
	size_t i;

	if (!u)
		return;
	for (i = 0; i < u->n; i++)
		if (u->v[i].dwfl)
			dwfl_end(u->v[i].dwfl);
	free(u->v);
	free(u);
}

size_t st_usyms_count(const struct st_usyms *u)
{
	return u->n;
}

/* The index of pid, or where it goes (*found 0). */
static size_t st_usym_slot(const struct st_usyms *u, uint32_t pid, int *found)
{
	size_t lo = 0, hi = u->n, mid;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (u->v[mid].pid < pid)
			lo = mid + 1;
		else
			hi = mid;
	}
	*found = lo < u->n && u->v[lo].pid == pid;
	return lo;
}

/* Open the ELF file and read the symbols while the process exists. */
static int st_usym_preload(Dwfl_Module *mod, void **userdata,
			   const char *name, Dwarf_Addr start, void *arg)
{
	Dwarf_Addr bias;

	(void)userdata;
	(void)name;
	(void)start;
	(void)arg;
	/* Failures are fine: that module's addresses stay unnamed. */
	if (dwfl_module_getelf(mod, &bias))
		(void)dwfl_module_getsymtab(mod);
	return DWARF_CB_OK;
}

static Dwfl *st_usym_snapshot(uint32_t pid, int *err)
{
	Dwfl *dwfl;
	int ret;

	dwfl = dwfl_begin(&st_usym_callbacks);
	if (!dwfl) {
		*err = ENOMEM;
		return NULL;
	}
	dwfl_report_begin(dwfl);
	ret = dwfl_linux_proc_report(dwfl, (pid_t)pid);
	if (ret) {
		/* An errno from opening /proc/PID/maps, or -1 from libdwfl. */
		*err = ret > 0 ? ret : EINVAL;
		dwfl_end(dwfl);
		return NULL;
	}
	if (dwfl_report_end(dwfl, NULL, NULL)) {
		*err = EINVAL;
		dwfl_end(dwfl);
		return NULL;
	}
	if (dwfl_getmodules(dwfl, st_usym_preload, NULL, 0) < 0) {
		*err = EINVAL;
		dwfl_end(dwfl);
		return NULL;
	}
	return dwfl;
}

int st_usyms_add(struct st_usyms *u, uint32_t pid)
{
	struct st_usym_proc *nv, p = { .pid = pid };
	size_t i;
	int found;

	i = st_usym_slot(u, pid, &found);
	if (found) {
		if (u->v[i].dwfl)
			return 0;
		errno = u->v[i].err;
		return -1;
	}
	if (u->n == u->cap) {
		size_t cap = u->cap ? u->cap * 2 : 16;

		nv = realloc(u->v, cap * sizeof(*nv));
		if (!nv) {
			errno = ENOMEM;
			return -1;
		}
		u->v = nv;
		u->cap = cap;
	}
	p.dwfl = st_usym_snapshot(pid, &p.err);
	memmove(&u->v[i + 1], &u->v[i], (u->n - i) * sizeof(*u->v));
	u->v[i] = p;
	u->n++;
	if (!p.dwfl) {
		errno = p.err;
		return -1;
	}
	return 0;
}

static const char *st_basename(const char *path)
{
	const char *s = path ? strrchr(path, '/') : NULL;

	return s ? s + 1 : path;
}

int st_usym_lookup(struct st_usyms *u, uint32_t pid, uint64_t addr, int ret,
		   struct st_usym *r)
{
	uint64_t key = ret && addr ? addr - 1 : addr;
	Dwfl_Module *mod;
	Dwarf_Addr lo, hi;
	GElf_Off off;
	GElf_Sym sym;
	const char *name, *mname;
	size_t i;
	int found;

	memset(r, 0, sizeof(*r));
	i = st_usym_slot(u, pid, &found);
	if (!found || !u->v[i].dwfl)
		return -1;
	mod = dwfl_addrmodule(u->v[i].dwfl, (Dwarf_Addr)key);
	if (!mod)
		return -1;
	/* libdwfl may hand the last module an address past its end. */
	mname = dwfl_module_info(mod, NULL, &lo, &hi, NULL, NULL, NULL, NULL);
	if (key < lo || key >= hi)
		return -1;
	r->mod = st_basename(mname);
	name = dwfl_module_addrinfo(mod, (GElf_Addr)key, &off, &sym, NULL,
				    NULL, NULL);
	if (!name || !*name)
		return 1;
	r->func = name;
	r->off = (uint64_t)off + (addr - key);
	return 0;
}

const char *st_usym_fmt(struct st_usyms *u, uint32_t pid, uint64_t addr,
			int ret, char *buf, size_t n)
{
	struct st_usym r;

	switch (st_usym_lookup(u, pid, addr, ret, &r)) {
	case 0:
		snprintf(buf, n, "%s+0x%" PRIx64 " (%s)", r.func, r.off,
			 r.mod ? r.mod : "?");
		break;
	case 1:
		snprintf(buf, n, "0x%" PRIx64 " [unknown] (%s)", addr,
			 r.mod ? r.mod : "?");
		break;
	default:
		snprintf(buf, n, "0x%" PRIx64 " [unknown]", addr);
		break;
	}
	return buf;
}
