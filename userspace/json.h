/* SPDX-License-Identifier: GPL-2.0 */
/* A small streaming JSON writer: commas and escaping done for the caller. */
#ifndef SOCKTAP_JSON_H
#define SOCKTAP_JSON_H

#include <stdint.h>
#include <stdio.h>

#define JSON_MAX_DEPTH 16

/*
 * Version of the -j documents, userspace/JSON.md; "json_schema" in
 * 'socktap status -j'.  Keys are only ever added: removing or changing
 * one (its name, type or unit) bumps it.
 */
#define ST_JSON_SCHEMA 1

/* Bytes a document collects before they go to the FILE in one write. */
#define JSON_BUF 4096

struct json {
	FILE *out;
	size_t len;			/* bytes in buf */
	int depth;
	int count[JSON_MAX_DEPTH];	/* members written at each level */
	int after_key;
	int error;			/* nesting misuse (a bug in the caller),
					 * or the FILE refused a write */
	char buf[JSON_BUF];
};

void json_init(struct json *j, FILE *out);
void json_begin_object(struct json *j);
void json_end_object(struct json *j);
void json_begin_array(struct json *j);
void json_end_array(struct json *j);
void json_key(struct json *j, const char *key);
void json_string(struct json *j, const char *s);
void json_uint(struct json *j, uint64_t v);
void json_int(struct json *j, int64_t v);
void json_bool(struct json *j, int v);
void json_null(struct json *j);
/* A number with prec decimals ("%.*f"); NaN and infinities as null. */
void json_fixed(struct json *j, double v, int prec);
/*
 * Finish the document: newline, the document (or what is left of it) to
 * the FILE, and non-zero if nesting was wrong or the write failed.  Until
 * then a document's bytes may be held in the struct: nothing else may
 * write to the FILE in between.
 */
int json_finish(struct json *j);

/* Shorthands for "key": value members. */
void json_kv_string(struct json *j, const char *key, const char *s);
void json_kv_uint(struct json *j, const char *key, uint64_t v);
void json_kv_int(struct json *j, const char *key, int64_t v);

#endif
