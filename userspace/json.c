// SPDX-License-Identifier: GPL-2.0
#include "json.h"

#include <inttypes.h>
#include <math.h>
#include <string.h>

/*
 * A document is collected in the struct and handed to stdio in one
 * fwrite when it is finished (or the buffer fills): watch -j writes a
 * record of a few hundred bytes per event, and a stdio call per key and
 * value was most of the CLI's time per record.
 */
static void json_flush(struct json *j)
{
	if (j->len && fwrite(j->buf, 1, j->len, j->out) != j->len)
		j->error = 1;
	j->len = 0;
}

static void json_put(struct json *j, int c)
{
	if (j->len == sizeof(j->buf))
		json_flush(j);
	j->buf[j->len++] = (char)c;
}

static void json_puts(struct json *j, const char *s, size_t n)
{
	if (n > sizeof(j->buf) - j->len) {
		json_flush(j);
		if (n > sizeof(j->buf)) {
			if (fwrite(s, 1, n, j->out) != n)
				j->error = 1;
			return;
		}
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
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
	j->len = 0;
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

/* Bytes a JSON string must escape: control bytes, DEL, '"' and '\\'. */
static const unsigned char json_esc[256] = {
	[0x00 ... 0x1f] = 1, ['"'] = 1, ['\\'] = 1, [0x7f] = 1,
};

static void json_quoted(struct json *j, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	char esc[8], *o, *end;

	json_put(j, '"');
	for (;;) {
		/* Names and keys are short: byte by byte beats a copy per run. */
		o = j->buf + j->len;
		end = j->buf + sizeof(j->buf);
		while (o < end && !json_esc[*p])
			*o++ = (char)*p++;
		j->len = (size_t)(o - j->buf);
		if (o == end) {
			json_flush(j);
			continue;
		}
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
	char buf[64];
	int n;

	json_sep(j);
	if (!isfinite(v)) {
		json_puts(j, "null", 4);
		return;
	}
	n = snprintf(buf, sizeof(buf), "%.*f", prec, v);
	if (n >= 0 && (size_t)n < sizeof(buf)) {
		json_puts(j, buf, (size_t)n);
		return;
	}
	/* Longer than buf (a huge value): straight to the FILE, in order. */
	json_flush(j);
	if (fprintf(j->out, "%.*f", prec, v) < 0)
		j->error = 1;
}

int json_finish(struct json *j)
{
	json_put(j, '\n');
	json_flush(j);
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
