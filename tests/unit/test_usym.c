// SPDX-License-Identifier: GPL-2.0
/*
 * usym: addresses of this test binary's own functions, through a libdwfl
 * snapshot of its own pid: plain, as a return address (looked up at
 * addr - 1), unmapped, and after the process snapshotted has exited.
 */
#include <errno.h>
#include <signal.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include "usym.h"
#include "unit.h"

/* External and not inlined: in .symtab with a size. */
__attribute__((noinline, used)) int usym_test_known(int x);
__attribute__((noinline, used)) int usym_test_known(int x)
{
	return x * 3 + 1;
}

/*
 * Two functions back to back, the first ending where a call as its last
 * instruction would: the return address of that call is the second's
 * start.  Four nops are 4 bytes on x86-64, 16 on arm64.
 */
#if defined(__x86_64__) || defined(__aarch64__)
#define ST_HAVE_ASM_PAIR 1
#ifdef __x86_64__
#define ST_FUNC_TYPE "@function"
#else
#define ST_FUNC_TYPE "%function"
#endif
__asm__(".text\n"
	".globl usym_test_first\n"
	".type usym_test_first, " ST_FUNC_TYPE "\n"
	"usym_test_first:\n"
	"\tnop\n\tnop\n\tnop\n\tnop\n"
	".size usym_test_first, .-usym_test_first\n"
	".globl usym_test_second\n"
	".type usym_test_second, " ST_FUNC_TYPE "\n"
	"usym_test_second:\n"
	"\tret\n"
	".size usym_test_second, .-usym_test_second\n");
void usym_test_first(void);
void usym_test_second(void);
#endif

static uint64_t addr_of(void (*fn)(void))
{
	return (uint64_t)(uintptr_t)fn;
}

static char buf[512];

static const char *fmt(struct st_usyms *u, uint32_t pid, uint64_t addr,
		       int ret)
{
	return st_usym_fmt(u, pid, addr, ret, buf, sizeof(buf));
}

static void test_self(struct st_usyms *u)
{
	uint32_t self = (uint32_t)getpid();
	uint64_t known = (uint64_t)(uintptr_t)usym_test_known;
	struct st_usym r;
	char want[128];

	CHECK("usym_add_self", st_usyms_add(u, self) == 0);
	CHECK("usym_add_self_again", st_usyms_add(u, self) == 0 &&
	      st_usyms_count(u) == 1);

	CHECK("usym_lookup_known", st_usym_lookup(u, self, known + 3, 0, &r) == 0 &&
	      r.func && !strcmp(r.func, "usym_test_known") && r.off == 3 &&
	      r.mod && !strcmp(r.mod, "test_usym"));
	CHECK_STR("usym_fmt_known", fmt(u, self, known + 3, 0),
		  "usym_test_known+0x3 (test_usym)");
	/* Inside a function, addr - 1 changes nothing but the lookup. */
	CHECK_STR("usym_fmt_known_ret", fmt(u, self, known + 3, 1),
		  "usym_test_known+0x3 (test_usym)");

#ifdef ST_HAVE_ASM_PAIR
	{
		uint64_t first = addr_of(usym_test_first);
		uint64_t second = addr_of(usym_test_second);

		CHECK("usym_asm_pair_adjacent", second > first && second - first <= 16);
		CHECK_STR("usym_fmt_second_start", fmt(u, self, second, 0),
			  "usym_test_second+0x0 (test_usym)");
		/* The return address of a call ending usym_test_first. */
		snprintf(want, sizeof(want), "usym_test_first+0x%x (test_usym)",
			 (unsigned int)(second - first));
		CHECK_STR("usym_fmt_return_address_minus_1", fmt(u, self, second, 1),
			  want);
		CHECK("usym_lookup_return_address_offset",
		      st_usym_lookup(u, self, second, 1, &r) == 0 &&
		      r.off == second - first);
	}
#else
	(void)want;
	printf("PASS unit/usym_asm_pair_skipped_on_this_arch\n");
#endif

	/* Unmapped: nothing known. */
	CHECK("usym_lookup_unmapped", st_usym_lookup(u, self, 0x10, 0, &r) == -1 &&
	      !r.func && !r.mod);
	CHECK_STR("usym_fmt_unmapped", fmt(u, self, 0x10, 0), "0x10 [unknown]");
	/* Above the 47-bit user range: in no module of any process. */
	CHECK("usym_lookup_high", st_usym_lookup(u, self, 0x800000001000ull, 0,
						 &r) == -1);
	/* A pid without a snapshot. */
	CHECK("usym_lookup_other_pid", st_usym_lookup(u, self + 1, known, 0, &r) == -1);
	snprintf(want, sizeof(want), "0x%llx [unknown]",
		 (unsigned long long)known);
	CHECK_STR("usym_fmt_other_pid", fmt(u, self + 1, known, 0), want);
}

/* A process that exits after its snapshot still resolves. */
static void test_exited(struct st_usyms *u)
{
	uint64_t known = (uint64_t)(uintptr_t)usym_test_known;
	int status, pipefd[2];
	pid_t child;
	char c;

	if (pipe(pipefd)) {
		CHECK("usym_pipe", 0);
		return;
	}
	child = fork();
	if (child < 0) {
		CHECK("usym_fork", 0);
		return;
	}
	if (!child) {
		/* Same binary, same layout: wait to be killed. */
		close(pipefd[0]);
		if (write(pipefd[1], "r", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	close(pipefd[1]);
	CHECK("usym_child_ready", read(pipefd[0], &c, 1) == 1);
	close(pipefd[0]);
	CHECK("usym_add_child", st_usyms_add(u, (uint32_t)child) == 0);
	kill(child, SIGKILL);
	CHECK("usym_child_reaped", waitpid(child, &status, 0) == child);
	CHECK_STR("usym_fmt_after_exit", fmt(u, (uint32_t)child, known + 1, 0),
		  "usym_test_known+0x1 (test_usym)");
	/* Gone before any snapshot: the error says so, and stays. */
	errno = 0;
	CHECK("usym_add_gone", st_usyms_add(u, (uint32_t)child + 0x40000000u) == -1 &&
	      (errno == ENOENT || errno == ESRCH));
	CHECK("usym_add_gone_again",
	      st_usyms_add(u, (uint32_t)child + 0x40000000u) == -1);
	CHECK("usym_count", st_usyms_count(u) == 3);
}

int main(void)
{
	struct st_usyms *u = st_usyms_new();

	CHECK("usym_new", u != NULL);
	if (!u)
		UNIT_EXIT();
	test_self(u);
	test_exited(u);
	st_usyms_free(u);
	UNIT_EXIT();
}
