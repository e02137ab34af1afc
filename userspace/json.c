// SPDX-License-Identifier: GPL-2.0
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/*
 * One thread writes each stream: the unlocked stdio calls, since a record
 * of watch -j is a few hundred characters and a locked call per character
 * was most of the CLI's time per record.
 */
static void json_put(struct json *j, int c)
{
	putc_unlocked(c, j->out);
}

static void json_puts(struct json *j, const char *s, size_t n)
{
	fwrite_unlocked(s, 1, n, j->out);
}

static void json_put_u64(struct json *j, uint64_t v)
{
	char buf[20];
	size_t i = sizeof(buf);

	do {
		buf[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	json_puts(j, buf + i, sizeof(buf) - i);
}

void json_init(struct json *j, FILE *out)
{
	j->out = out;
	j->depth = 0;
	j->count[0] = 0;
	j->after_key = 0;
	j->error = 0;
}

/* Separator before a value or key at the current level. */
static void json_sep(struct json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->count[j->depth]++)
		json_put(j, ',');
}

static void json_push(struct json *j, char c)
{
	json_sep(j);
	json_put(j, c);
	if (j->depth + 1 >= JSON_MAX_DEPTH) {
		j->error = 1;
		return;
	}
	j->count[++j->depth] = 0;
}

static void json_pop(struct json *j, char c)
{
	if (j->depth == 0 || j->after_key)
		j->error = 1;
	else
		j->depth--;
	json_put(j, c);
}

void json_begin_object(struct json *j)
{
	json_push(j, '{');
}

void json_end_object(struct json *j)
{
	json_pop(j, '}');
}

void json_begin_array(struct json *j)
{
	json_push(j, '[');
}

void json_end_array(struct json *j)
{
	json_pop(j, ']');
}

static void json_quoted(struct json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s, *run;
	char esc[8];

	json_put(j, '"');
	for (;;) {
		/* The longest run that needs no escaping, in one write. */
		for (run = p; *p >= 0x20 && *p != 0x7f && *p != '"' && *p != '\\'; p++)
			;
		json_puts(j, (const char *)run, (size_t)(p - run));
		if (!*p)
			break;
		switch (*p) {
		case '"':
			json_puts(j, "\\\"", 2);
			break;
		case '\\':
			json_puts(j, "\\\\", 2);
			break;
		case '\n':
			json_puts(j, "\\n", 2);
			break;
		case '\r':
			json_puts(j, "\\r", 2);
			break;
		case '\t':
			json_puts(j, "\\t", 2);
			break;
		default:
			/* Control bytes and DEL escaped; other bytes pass as-is. */
			snprintf(esc, sizeof(esc), "\\u%04x", *p);
			json_puts(j, esc, 6);
		}
		p++;
	}
	json_put(j, '"');
}

void json_key(struct json *j, const char *key)
{
	if (j->after_key)
		j->error = 1;
	json_sep(j);
	json_quoted(j, key);
	json_put(j, ':');
	j->after_key = 1;
}

void json_string(struct json *j, const char *s)
{
	json_sep(j);
	if (s)
		json_quoted(j, s);
	else
		json_puts(j, "null", 4);
}

void json_uint(struct json *j, uint64_t v)
{
	json_sep(j);
	json_put_u64(j, v);
}

void json_int(struct json *j, int64_t v)
{
	json_sep(j);
	if (v < 0) {
		json_put(j, '-');
		json_put_u64(j, (uint64_t)0 - (uint64_t)v);
	} else {
		json_put_u64(j, (uint64_t)v);
	}
}

void json_bool(struct json *j, int v)
{
	json_sep(j);
	if (v)
		json_puts(j, "true", 4);
	else
		json_puts(j, "false", 5);
}

void json_null(struct json *j)
{
	json_sep(j);
	json_puts(j, "null", 4);
}

void json_fixed(struct json *j, double v, int prec)
{
	json_sep(j);
	if (isfinite(v))
		fprintf(j->out, "%.*f", prec, v);
	else
		json_puts(j, "null", 4);
}

int json_finish(struct json *j)
{
	json_put(j, '\n');
	if (j->depth != 0 || j->after_key)
		j->error = 1;
	return j->error ? -1 : 0;
}

void json_kv_string(struct json *j, const char *key, const char *s)
{
	json_key(j, key);
	json_string(j, s);
}

void json_kv_uint(struct json *j, const char *key, uint64_t v)
{
	json_key(j, key);
	json_uint(j, v);
}

void json_kv_int(struct json *j, const char *key, int64_t v)
{
	json_key(j, key);
	json_int(j, v);
}
