/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Minimal host unit-test support: one "PASS name" / "FAIL name: why" line
 * per check, the format tests/run.sh counts.  Exit status is the number
 * of failures (capped), so a runner that only reads exit codes still works.
 */
#ifndef SOCKTAP_UNIT_H
#define SOCKTAP_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed;

#define CHECK(name, cond) do {						\
	if (cond) {							\
		printf("PASS unit/%s\n", name);				\
	} else {							\
		printf("FAIL unit/%s: %s (%s:%d)\n", name, #cond,	\
		       __FILE__, __LINE__);				\
		unit_failed++;						\
	}								\
} while (0)

#define CHECK_STR(name, got, want) do {					\
	const char *g_ = (got), *w_ = (want);				\
	if (g_ && !strcmp(g_, w_)) {					\
		printf("PASS unit/%s\n", name);				\
	} else {							\
		printf("FAIL unit/%s: got '%s', want '%s'\n", name,	\
		       g_ ? g_ : "(null)", w_);				\
		unit_failed++;						\
	}								\
} while (0)

#define UNIT_EXIT() return unit_failed > 100 ? 100 : unit_failed

#endif
