// SPDX-License-Identifier: GPL-2.0
#include "json.h"

#include <inttypes.h>
#include <math.h>

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
		fputc(',', j->out);
}

static void json_push(struct json *j, char c)
{
	json_sep(j);
	fputc(c, j->out);
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
	fputc(c, j->out);
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
	const unsigned char *p = (const unsigned char *)s;

	fputc('"', j->out);
	for (; *p; p++) {
		switch (*p) {
		case '"':
			fputs("\\\"", j->out);
			break;
		case '\\':
			fputs("\\\\", j->out);
			break;
		case '\n':
			fputs("\\n", j->out);
			break;
		case '\r':
			fputs("\\r", j->out);
			break;
		case '\t':
			fputs("\\t", j->out);
			break;
		default:
			/* Control bytes and DEL escaped; other bytes pass as-is. */
			if (*p < 0x20 || *p == 0x7f)
				fprintf(j->out, "\\u%04x", *p);
			else
				fputc(*p, j->out);
		}
	}
	fputc('"', j->out);
}

void json_key(struct json *j, const char *key)
{
	if (j->after_key)
		j->error = 1;
	json_sep(j);
	json_quoted(j, key);
	fputc(':', j->out);
	j->after_key = 1;
}

void json_string(struct json *j, const char *s)
{
	json_sep(j);
	if (s)
		json_quoted(j, s);
	else
		fputs("null", j->out);
}

void json_uint(struct json *j, uint64_t v)
{
	json_sep(j);
	fprintf(j->out, "%" PRIu64, v);
}

void json_int(struct json *j, int64_t v)
{
	json_sep(j);
	fprintf(j->out, "%" PRId64, v);
}

void json_bool(struct json *j, int v)
{
	json_sep(j);
	fputs(v ? "true" : "false", j->out);
}

void json_null(struct json *j)
{
	json_sep(j);
	fputs("null", j->out);
}

void json_fixed(struct json *j, double v, int prec)
{
	json_sep(j);
	if (isfinite(v))
		fprintf(j->out, "%.*f", prec, v);
	else
		fputs("null", j->out);
}

int json_finish(struct json *j)
{
	fputc('\n', j->out);
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
