// SPDX-License-Identifier: GPL-2.0
/*
 * stacks: sorting and top N, and bpftrace's layout of kernel, user and
 * both stacks with made-up symbolizers: return addresses looked up at
 * addr - 1, unknown frames in hex.
 */
#include <stdlib.h>

#include <linux/socktap.h>

#include "stack.h"
#include "render.h"
#include "unit.h"

/* Kernel: functions at 0x1000 steps from 0xffff0000, named k0, k1, ... */
static const char *fake_ksym(void *arg, uint64_t addr, int ret, char *buf,
			     size_t n)
{
	uint64_t key = ret ? addr - 1 : addr;

	(void)arg;
	if (key < 0xffff0000ull || key >= 0xffff4000ull)
		return NULL;
	snprintf(buf, n, "k%u+0x%x", (unsigned int)((key - 0xffff0000ull) >> 12),
		 (unsigned int)(addr - (key & ~0xfffull)));
	return buf;
}

/*
 * User, pid 42 only: "libc.so.6" maps [0x7000, 0x8000) with connect at
 * 0x7100; "app" [0x4000, 0x5000) with do_connect at 0x4000 and
 * caller at 0x4100 (so 0x4100 as a return address is do_connect's end);
 * [0x5000, 0x6000) is app without symbols.
 */
static int fake_usym(void *arg, uint32_t pid, uint64_t addr, int ret,
		     struct st_usym *r)
{
	uint64_t key = ret ? addr - 1 : addr;

	(void)arg;
	if (pid != 42)
		return -1;
	if (key >= 0x7100 && key < 0x8000) {
		r->func = "connect";
		r->off = addr - 0x7100;
		r->mod = "libc.so.6";
		return 0;
	}
	if (key >= 0x4000 && key < 0x4100) {
		r->func = "do_connect";
		r->off = addr - 0x4000;
		r->mod = "app";
		return 0;
	}
	if (key >= 0x4100 && key < 0x5000) {
		r->func = "caller";
		r->off = addr - 0x4100;
		r->mod = "app";
		return 0;
	}
	if (key >= 0x5000 && key < 0x6000) {
		r->mod = "app";
		return 1;
	}
	return -1;
}

static const struct st_stack_syms sy = {
	.kern = fake_ksym, .user = fake_usym,
};

int main(void)
{
	const uint64_t k1[] = { 0xffff0004ull, 0xffff1010ull, 0xffff3000ull,
				0xdead0000ull };
	const uint64_t k2[] = { 0xffff0004ull, 0xffff2020ull };
	const uint64_t u1[] = { 0x7114, 0x4100, 0x5008, 0x9999 };
	struct st_stack_list l = { 0 };
	size_t first;

	CHECK("stack_add", !st_stack_add(&l, 7, 0, NULL, k1, sizeof(k1), NULL, 0) &&
	      !st_stack_add(&l, 2, 0, "", k2, sizeof(k2), NULL, 0) &&
	      !st_stack_add(&l, 30, 42, "app", k2, sizeof(k2) + 3, u1, sizeof(u1)) &&
	      !st_stack_add(&l, 7, 41, "other", NULL, 0, u1, 8));
	CHECK("stack_add_partial_u64", l.v[2].nkern == 2 && l.v[2].nuser == 4);
	CHECK("stack_add_none", l.v[3].nkern == 0 && l.v[3].nuser == 1);

	first = st_stack_sort(&l, 0);
	CHECK("stack_sort_all", first == 0);
	CHECK("stack_sort_ascending", l.v[0].count == 2 && l.v[3].count == 30);
	CHECK("stack_sort_tie_pid", l.v[1].pid == 0 && l.v[2].pid == 41);
	CHECK("stack_top2", st_stack_sort(&l, 2) == 2);
	CHECK("stack_top_more_than_n", st_stack_sort(&l, 10) == 0);

	CHECK_STR("stack_print_kernel",
		  RENDER(2048, st_stack_print(f, &l.v[1], SOCKTAP_STACK_KERNEL, &sy)),
		  "@[\n"
		  "        k0+0x4\n"
		  "        k1+0x10\n"
		  "        k2+0x1000\n"		/* addr - 1 is in k2 */
		  "        0xdead0000 [unknown]\n"
		  "]: 7\n");
	CHECK_STR("stack_print_both",
		  RENDER(2048, st_stack_print(f, &l.v[3],
					      SOCKTAP_STACK_KERNEL | SOCKTAP_STACK_USER,
					      &sy)),
		  "@[\n"
		  "        k0+0x4\n"
		  "        k2+0x20\n"
		  ",\n"
		  "    app (42):\n"
		  "        connect+0x14 (libc.so.6)\n"
		  "        do_connect+0x100 (app)\n"	/* 0x4100 - 1 */
		  "        0x5008 [unknown] (app)\n"
		  "        0x9999 [unknown]\n"
		  "]: 30\n");
	CHECK_STR("stack_print_user_unknown_pid",
		  RENDER(2048, st_stack_print(f, &l.v[2], SOCKTAP_STACK_USER, &sy)),
		  "@[\n"
		  "    other (41):\n"
		  "        0x7114 [unknown]\n"
		  "]: 7\n");
	CHECK_STR("stack_print_no_user_stack",
		  RENDER(2048, st_stack_print(f, &l.v[0], SOCKTAP_STACK_USER, NULL)),
		  "@[\n"
		  "    [no process]\n"
		  "        [no user stack]\n"
		  "]: 2\n");
	CHECK_STR("stack_print_no_symbols",
		  RENDER(2048, st_stack_print(f, &l.v[0], SOCKTAP_STACK_KERNEL, NULL)),
		  "@[\n"
		  "        0xffff0004 [unknown]\n"
		  "        0xffff2020 [unknown]\n"
		  "]: 2\n");
	CHECK_STR("stack_json_both",
		  RENDER_JSON(2048, st_stack_json(&j, &l.v[3],
						  SOCKTAP_STACK_KERNEL | SOCKTAP_STACK_USER,
						  &sy)),
		  "{\"count\":30,\"pid\":42,\"comm\":\"app\","
		  "\"kernel\":[{\"addr\":\"0xffff0004\",\"sym\":\"k0+0x4\"},"
		  "{\"addr\":\"0xffff2020\",\"sym\":\"k2+0x20\"}],"
		  "\"user\":[{\"addr\":\"0x7114\",\"sym\":\"connect+0x14\",\"module\":\"libc.so.6\"},"
		  "{\"addr\":\"0x4100\",\"sym\":\"do_connect+0x100\",\"module\":\"app\"},"
		  "{\"addr\":\"0x5008\",\"sym\":\"0x5008 [unknown]\",\"module\":\"app\"},"
		  "{\"addr\":\"0x9999\",\"sym\":\"0x9999 [unknown]\",\"module\":null}]}\n");
	CHECK_STR("stack_json_kernel",
		  RENDER_JSON(2048, st_stack_json(&j, &l.v[0], SOCKTAP_STACK_KERNEL,
						  &sy)),
		  "{\"count\":2,\"pid\":null,\"comm\":null,"
		  "\"kernel\":[{\"addr\":\"0xffff0004\",\"sym\":\"k0+0x4\"},"
		  "{\"addr\":\"0xffff2020\",\"sym\":\"k2+0x20\"}]}\n");
	CHECK_STR("stack_json_unknown_kernel",
		  RENDER_JSON(2048, st_stack_json(&j, &l.v[0], SOCKTAP_STACK_KERNEL,
						  NULL)),
		  "{\"count\":2,\"pid\":null,\"comm\":null,"
		  "\"kernel\":[{\"addr\":\"0xffff0004\",\"sym\":\"0xffff0004 [unknown]\"},"
		  "{\"addr\":\"0xffff2020\",\"sym\":\"0xffff2020 [unknown]\"}]}\n");
	CHECK_STR("stack_summary",
		  RENDER(256, st_stack_summary(f, 4, 46, 3, 1)),
		  "4 stacks, 46 calls (3 did not fit the table, 1 missed)\n");
	st_stack_free(&l);
	UNIT_EXIT();
}
