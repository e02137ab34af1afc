/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Capture what a printer writes, as a string, for the unit tests: RENDER
 * for plain FILE * printers, RENDER_JSON for the JSON writers.  Each
 * expansion has its own static buffer of the given size.
 */
#ifndef SOCKTAP_UNIT_RENDER_H
#define SOCKTAP_UNIT_RENDER_H

#include <stdio.h>
#include <stdlib.h>

#include "json.h"

#define RENDER(size, call) ({						\
	static char out_[size];						\
	FILE *f = fmemopen(out_, sizeof(out_), "w");			\
									\
	if (!f)								\
		abort();						\
	call;								\
	fclose(f);							\
	out_;								\
})

#define RENDER_JSON(size, call) ({					\
	static char jout_[size];					\
	FILE *f = fmemopen(jout_, sizeof(jout_), "w");			\
	struct json j;							\
									\
	if (!f)								\
		abort();						\
	json_init(&j, f);						\
	call;								\
	json_finish(&j);						\
	fclose(f);							\
	jout_;								\
})

#endif
