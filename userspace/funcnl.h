/* SPDX-License-Identifier: GPL-2.0 */
/* FUNC_CHECK and COUNT_ADD: function names out in batches, answers back. */
#ifndef SOCKTAP_FUNCNL_H
#define SOCKTAP_FUNCNL_H

#include <stddef.h>
#include <stdint.h>

#include "kfunc.h"
#include "nl.h"

/*
 * Bytes of names per request.  The reply carries about 24 more bytes
 * per name, so a batch of short names stays well inside one page.
 */
#define ST_FUNCS_BATCH_BYTES	2048

/*
 * The rows of one request from v[0..n): st_func_batch_len with
 * SOCKTAP_FUNCS_BATCH_MAX names and ST_FUNCS_BATCH_BYTES.
 */
size_t st_funcs_batch_len(struct st_kfunc *const *v, size_t n);

/*
 * Send cmd (SOCKTAP_CMD_FUNC_CHECK or SOCKTAP_CMD_COUNT_ADD) for the
 * rows v[0..n) (one batch: see st_funcs_batch_len) and fill each
 * answered row's checked, error and flags.  Rows the reply leaves out
 * stay unchecked; *unanswered (if not NULL) counts them.  Returns
 * ST_EXIT_*; a refused request as st_nl_call does (nl->quiet applies).
 */
int st_funcs_request(struct st_nl *nl, uint8_t cmd, struct st_kfunc **v,
		     size_t n, size_t *unanswered);

#endif
