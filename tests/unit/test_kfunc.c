// SPDX-License-Identifier: GPL-2.0
/*
 * funcs and count: function entries from kallsyms text, the kprobe
 * blacklist, glob selection, request batches, refusal reasons, and
 * count's table.
 */
#include <errno.h>
#include <stdlib.h>

#include <linux/socktap.h>

#include "count.h"
#include "kfunc.h"
#include "render.h"
#include "unit.h"

static const char kallsyms_text[] =
	"0000000000000000 A fixed_percpu_data\n"
	"ffffffff81000000 T _stext\n"
	"ffffffff81a2c4f0 t __pfx_tcp_v4_rcv\n"
	"ffffffff81a2c500 T tcp_v4_rcv\n"
	"ffffffff81a2c4e0 t __cfi_tcp_sendmsg\n"
	"ffffffff81a2c600 T tcp_sendmsg\n"
	"ffffffff81a2c700 t tcp_sendmsg_locked.cold\n"
	"ffffffff81a2c800 t tcp_write_xmit.isra.0\n"
	"ffffffff81a2c900 t tcp_rcv_established.constprop.0\n"
	"ffffffff81a2ca00 t tcp_clean_rtx_queue.part.0\n"
	"ffffffff81a2cb00 t cleanup\n"
	"ffffffff81a2cc00 t cleanup\n"
	"ffffffff81a2cd00 W weak_thing\n"
	"ffffffff81a2ce00 D tcp_hashinfo\n"
	"ffffffff81a2cf00 b tcp_bss\n"
	"ffffffff81a2d000 T __sys_connect\n"
	"ffffffff81a2d100 T __x64_sys_connect\n"
	"garbage\n"
	"ffffffff81a2d200 T\n"
	"ffffffffc0a01000 t nf_hook_slow\t[nf_tables]\n"
	"ffffffffc0a02000 t cleanup\t[nf_tables]\n"
	"ffffffffc0a03000 t tcp_mod_fn\t[tcp_mod]\n"
	"ffffffffc0201000 t ftrace_trampoline\t[__builtin__ftrace]\n"
	"ffffffffc0301000 t bpf_prog_6deef7357e7b4530_sd_fw_egress\t[bpf]\n"
	"ffffffff81c00000 T _etext";	/* no final newline */

static const char blacklist_text[] =
	"0xffffffff81001000-0xffffffff81001040\tdo_int3\n"
	"0xffffffff81a2c500-0xffffffff81a2c5ff\ttcp_v4_rcv\n"
	"0x0000000000000000-0x0000000000000000\tnmi_handle\n"
	"0xffffffffc0a03000-0xffffffffc0a03100\ttcp_mod_fn [tcp_mod]\n"
	"0xffffffff81001000-0xffffffff81001040\tdo_int3\n"
	"junk-line-without-symbol\n";

static struct st_kfuncs k;
static struct st_names bl;

static char *dup(const char *s)
{
	char *p = strdup(s);

	if (!p)
		abort();
	return p;
}

static const char *mod_of(const char *name)
{
	const struct st_kfunc *f = st_kfuncs_find(&k, name);

	return f ? (f->mod ? f->mod : "") : NULL;
}

static void test_entries(void)
{
	CHECK("kfunc_entry_plain", st_kfunc_is_entry("tcp_sendmsg", NULL));
	CHECK("kfunc_entry_pfx", !st_kfunc_is_entry("__pfx_tcp_sendmsg", NULL));
	CHECK("kfunc_entry_cfi", !st_kfunc_is_entry("__cfi_tcp_sendmsg", NULL));
	CHECK("kfunc_entry_cold", !st_kfunc_is_entry("tcp_sendmsg.cold", NULL));
	CHECK("kfunc_entry_cold_n", !st_kfunc_is_entry("foo.cold.12", NULL));
	CHECK("kfunc_entry_isra", st_kfunc_is_entry("foo.isra.0", NULL));
	CHECK("kfunc_entry_constprop", st_kfunc_is_entry("foo.constprop.3", NULL));
	CHECK("kfunc_entry_part", st_kfunc_is_entry("foo.part.1", NULL));
	CHECK("kfunc_entry_module", st_kfunc_is_entry("nf_hook_slow", "nf_tables"));
	CHECK("kfunc_entry_bpf", !st_kfunc_is_entry("bpf_prog_x", "bpf"));
	CHECK("kfunc_entry_builtin", !st_kfunc_is_entry("ftrace_trampoline",
							"__builtin__ftrace"));
	CHECK("kfunc_entry_empty", !st_kfunc_is_entry("", NULL));
}

static void test_parse(void)
{
	CHECK("kfunc_parse", st_kfuncs_parse(&k, dup(kallsyms_text)) == 0);
	/*
	 * _stext _etext tcp_v4_rcv tcp_sendmsg write_xmit.isra
	 * rcv_established.constprop clean_rtx_queue.part cleanup
	 * __sys_connect __x64_sys_connect nf_hook_slow tcp_mod_fn
	 */
	CHECK("kfunc_parse_count", k.n == 12);
	CHECK_STR("kfunc_sorted_first", k.v[0].name, "__sys_connect");
	CHECK_STR("kfunc_sorted_last", k.v[k.n - 1].name, "tcp_write_xmit.isra.0");
	CHECK_STR("kfunc_kernel", mod_of("tcp_sendmsg"), "");
	CHECK_STR("kfunc_module", mod_of("nf_hook_slow"), "nf_tables");
	CHECK_STR("kfunc_dup_first_kept", mod_of("cleanup"), "");
	CHECK_STR("kfunc_last_line", mod_of("_etext"), "");
	CHECK("kfunc_no_pfx", !st_kfuncs_find(&k, "__pfx_tcp_v4_rcv"));
	CHECK("kfunc_no_cfi", !st_kfuncs_find(&k, "__cfi_tcp_sendmsg"));
	CHECK("kfunc_no_cold", !st_kfuncs_find(&k, "tcp_sendmsg_locked.cold"));
	CHECK("kfunc_no_weak", !st_kfuncs_find(&k, "weak_thing"));
	CHECK("kfunc_no_data", !st_kfuncs_find(&k, "tcp_hashinfo") &&
	      !st_kfuncs_find(&k, "tcp_bss"));
	CHECK("kfunc_no_bpf", !st_kfuncs_find(&k,
			"bpf_prog_6deef7357e7b4530_sd_fw_egress"));
	CHECK("kfunc_no_trampoline", !st_kfuncs_find(&k, "ftrace_trampoline"));
	CHECK("kfunc_known", st_kfuncs_find(&k, "tcp_v4_rcv") &&
	      st_kfuncs_find(&k, "tcp_v4_rcv")->known);

	CHECK("blacklist_parse", st_blacklist_parse(&bl, dup(blacklist_text)) == 0);
	CHECK("blacklist_count", bl.n == 4);
	CHECK("blacklist_has", st_names_has(&bl, "tcp_v4_rcv") &&
	      st_names_has(&bl, "do_int3") && st_names_has(&bl, "nmi_handle"));
	CHECK("blacklist_module_name", st_names_has(&bl, "tcp_mod_fn"));
	CHECK("blacklist_not", !st_names_has(&bl, "tcp_sendmsg"));
	CHECK("blacklist_none", !st_names_has(NULL, "tcp_sendmsg"));
}

static void test_select(void)
{
	char *globs[] = { "tcp_*", "tcp_sendmsg", "no_such_fn", "no_such_fn",
			  "nf_*", "zz*" };
	char *longg[1];
	char longname[SOCKTAP_FUNC_NAME_MAX + 8];
	struct st_kfunc_sel s;
	size_t matched[6];

	CHECK("glob_literal", st_glob_is_literal("tcp_sendmsg") &&
	      !st_glob_is_literal("tcp_*") && !st_glob_is_literal("tcp_?") &&
	      !st_glob_is_literal("tcp_[ab]"));
	CHECK("select", st_kfuncs_select(&k, &bl, globs, 6, matched, &s) == 0);
	/* tcp_mod_fn tcp_rcv_established.constprop.0 tcp_clean_rtx_queue.part.0
	 * tcp_sendmsg tcp_v4_rcv tcp_write_xmit.isra.0, nf_hook_slow, no_such_fn */
	CHECK("select_count", s.n == 8);
	CHECK_STR("select_sorted_first", s.v[0].name, "nf_hook_slow");
	CHECK_STR("select_literal_unknown", s.v[1].name, "no_such_fn");
	CHECK("select_literal_not_known", !s.v[1].known && s.v[2].known);
	CHECK("select_matched", matched[0] == 6 && matched[1] == 1 &&
	      matched[2] == 1 && matched[3] == 0 && matched[4] == 1 &&
	      matched[5] == 0);
	CHECK("select_blacklisted", s.blacklisted == 2);
	CHECK("select_blacklisted_row", s.v[s.n - 2].blacklisted &&
	      !strcmp(s.v[s.n - 2].name, "tcp_v4_rcv"));
	CHECK("select_too_long_none", s.too_long == 0);
	st_kfunc_sel_free(&s);

	memset(longname, 'x', sizeof(longname) - 1);
	longname[sizeof(longname) - 1] = '\0';
	longg[0] = longname;
	CHECK("select_long", st_kfuncs_select(&k, NULL, longg, 1, NULL, &s) == 0 &&
	      s.n == 0 && s.too_long == 1);
	st_kfunc_sel_free(&s);
	longname[SOCKTAP_FUNC_NAME_MAX - 1] = '\0';	/* 511 bytes: fits */
	CHECK("select_longest_fits",
	      st_kfuncs_select(&k, NULL, longg, 1, NULL, &s) == 0 &&
	      s.n == 1 && s.too_long == 0);
	st_kfunc_sel_free(&s);
}

static void test_batches(void)
{
	static struct st_kfunc rows[100];
	static struct st_kfunc *v[100];
	static char names[100][40];
	size_t i;

	for (i = 0; i < 100; i++) {
		snprintf(names[i], sizeof(names[i]), "function_%03zu", i);	/* 12 + NUL */
		rows[i].name = names[i];
		v[i] = &rows[i];
	}
	CHECK("batch_names_max", st_func_batch_len(v, 100, 64, 100000) == 64);
	CHECK("batch_rest", st_func_batch_len(v + 64, 36, 64, 100000) == 36);
	CHECK("batch_bytes", st_func_batch_len(v, 100, 64, 13 * 10) == 10);
	CHECK("batch_bytes_just_under", st_func_batch_len(v, 100, 64, 13 * 10 - 1) == 9);
	CHECK("batch_first_alone_too_long", st_func_batch_len(v, 100, 64, 5) == 1);
	CHECK("batch_empty", st_func_batch_len(v, 0, 64, 100) == 0);
}

static void test_reasons(void)
{
	struct st_kfunc f = { .name = "x" };
	char buf[128], want[128];

	CHECK_STR("words_enoent", st_func_error_words(ENOENT), "no such symbol");
	CHECK_STR("words_einval", st_func_error_words(EINVAL),
		  "blacklisted or not a function entry");
	CHECK_STR("words_eilseq", st_func_error_words(EILSEQ),
		  "not an instruction boundary");
	CHECK_STR("words_eaddrnotavail", st_func_error_words(EADDRNOTAVAIL),
		  "the name is not unique");
	CHECK_STR("words_enospc", st_func_error_words(ENOSPC), "count_max reached");
	CHECK("words_other", st_func_error_words(EIO) == NULL);
	CHECK("reason_ok", !st_kfunc_refused(&f) &&
	      !strcmp(st_kfunc_reason(&f, buf, sizeof(buf)), ""));
	f.blacklisted = 1;
	CHECK_STR("reason_blacklist", st_kfunc_reason(&f, buf, sizeof(buf)),
		  "on the kprobe blacklist");
	CHECK("reason_blacklist_refused", st_kfunc_refused(&f));
	f.blacklisted = 0;
	f.error = EILSEQ;
	snprintf(want, sizeof(want), "%s (not an instruction boundary)",
		 strerror(EILSEQ));
	CHECK_STR("reason_eilseq", st_kfunc_reason(&f, buf, sizeof(buf)), want);
	f.error = EIO;
	CHECK_STR("reason_plain_errno", st_kfunc_reason(&f, buf, sizeof(buf)),
		  strerror(EIO));
	/* Checked: the kernel's answer wins over the blacklist file. */
	f.error = 0;
	f.blacklisted = 1;
	f.checked = 1;
	CHECK("refused_checked_ok", !st_kfunc_refused(&f) &&
	      !strcmp(st_kfunc_reason(&f, buf, sizeof(buf)), ""));
	f.error = EINVAL;
	CHECK("refused_checked_einval", st_kfunc_refused(&f));
	CHECK_STR("errno_name", st_errno_name(EADDRNOTAVAIL, buf, sizeof(buf)),
		  "EADDRNOTAVAIL");
	CHECK_STR("errno_name_einval", st_errno_name(EINVAL, buf, sizeof(buf)),
		  "EINVAL");
	CHECK_STR("errno_name_unknown", st_errno_name(4000, buf, sizeof(buf)),
		  "errno 4000");
	CHECK_STR("words_eexist", st_func_error_words(EEXIST), "already counted");
}

static void test_count_table(void)
{
	struct st_count_list l = { 0 };

	CHECK("count_push", !st_count_push(&l, "tcp_sendmsg", 5, 0, 1) &&
	      !st_count_push(&l, "tcp_v4_rcv", 120, 0, 1) &&
	      !st_count_push(&l, "tcp_idle", 0, 0, 0) &&
	      !st_count_push(&l, "a_fn", 5, 0, 0));
	st_count_sort(&l);
	CHECK_STR("count_sorted", l.v[0].name, "tcp_v4_rcv");
	CHECK_STR("count_tie_by_name", l.v[1].name, "a_fn");
	CHECK_STR("count_print", RENDER(1024, st_count_print(f, &l, 0)),
		  "FUNC         CALLS\n"
		  "tcp_v4_rcv     120\n"
		  "a_fn             5\n"
		  "tcp_sendmsg      5\n");
	CHECK_STR("count_print_all", RENDER(1024, st_count_print(f, &l, 1)),
		  "FUNC         CALLS\n"
		  "tcp_v4_rcv     120\n"
		  "a_fn             5\n"
		  "tcp_sendmsg      5\n"
		  "tcp_idle         0\n");
	l.v[2].missed = 1234567;
	CHECK_STR("count_print_missed", RENDER(1024, st_count_print(f, &l, 0)),
		  "FUNC         CALLS   MISSED\n"
		  "tcp_v4_rcv     120        0\n"
		  "a_fn             5        0\n"
		  "tcp_sendmsg      5  1234567\n");
	CHECK_STR("count_json", RENDER_JSON(1024, st_count_json(&j, &l, 0)),
		  "[{\"name\":\"tcp_v4_rcv\",\"calls\":120,\"missed\":0,\"ftrace\":true},"
		  "{\"name\":\"a_fn\",\"calls\":5,\"missed\":0,\"ftrace\":false},"
		  "{\"name\":\"tcp_sendmsg\",\"calls\":5,\"missed\":1234567,\"ftrace\":true}]\n");
	st_count_clear(&l);
	CHECK_STR("count_print_empty", RENDER(1024, st_count_print(f, &l, 0)),
		  "FUNC  CALLS\n");
	st_count_free(&l);
}

int main(void)
{
	test_entries();
	test_parse();
	test_select();
	test_batches();
	test_reasons();
	test_count_table();
	st_names_free(&bl);
	st_kfuncs_free(&k);
	UNIT_EXIT();
}
