// SPDX-License-Identifier: GPL-2.0
/* The CLI's JSON writer: separators, nesting, escaping. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json.h"
#include "unit.h"

/* Run fn against a memory stream and return what it wrote. */
static char *render(void (*fn)(struct json *j), int *err)
{
	static char buf[4 * JSON_BUF];
	struct json j;
	FILE *f = fmemopen(buf, sizeof(buf), "w");

	if (!f)
		abort();
	json_init(&j, f);
	fn(&j);
	*err = json_finish(&j);
	fclose(f);
	return buf;
}

static void doc_nested(struct json *j)
{
	json_begin_object(j);
	json_kv_string(j, "a", "x");
	json_kv_uint(j, "n", 18446744073709551615ULL);
	json_key(j, "l");
	json_begin_array(j);
	json_int(j, -1);
	json_begin_object(j);
	json_end_object(j);
	json_begin_array(j);
	json_end_array(j);
	json_bool(j, 1);
	json_null(j);
	json_end_array(j);
	json_kv_int(j, "z", 0);
	json_end_object(j);
}

static void doc_escape(struct json *j)
{
	json_string(j, "q\"b\\n\n\t\r\x01\x7f\xc3\xa9");
}

static void doc_unbalanced(struct json *j)
{
	json_begin_object(j);
	json_key(j, "a");
}

static void doc_extra_close(struct json *j)
{
	json_end_array(j);
}

static void doc_two_keys(struct json *j)
{
	json_begin_object(j);
	json_key(j, "a");
	json_key(j, "b");
	json_uint(j, 1);
	json_end_object(j);
}

static void doc_fixed(struct json *j)
{
	json_begin_array(j);
	json_fixed(j, 1715000000.1234, 3);
	json_fixed(j, 0.5, 1);
	json_fixed(j, NAN, 2);
	json_fixed(j, -2.0, 0);
	json_fixed(j, 1e80, 0);
	json_end_array(j);
}

/*
 * Larger than the writer's buffer, with escapes placed across its flush
 * points: what reaches the stream is still the whole document in order.
 */
static char big_str[JSON_BUF + 100];

static void doc_big(struct json *j)
{
	int i;

	json_begin_array(j);
	for (i = 0; i < 2; i++)
		json_string(j, big_str);
	for (i = 0; i < 500; i++)
		json_uint(j, (uint64_t)i);
	json_end_array(j);
}

static int big_ok(const char *s)
{
	size_t n = 0;
	int i, k;
	char num[16];

	if (*s++ != '[')
		return 0;
	for (i = 0; i < 2; i++) {
		if (i && *s++ != ',')
			return 0;
		if (*s++ != '"')
			return 0;
		for (k = 0; k < (int)sizeof(big_str) - 1; k++, n++) {
			if (big_str[k] == '"') {
				if (s[0] != '\\' || s[1] != '"')
					return 0;
				s += 2;
			} else if (*s++ != big_str[k]) {
				return 0;
			}
		}
		if (*s++ != '"')
			return 0;
	}
	for (i = 0; i < 500; i++) {
		k = snprintf(num, sizeof(num), ",%d", i);
		if (strncmp(s, num, (size_t)k))
			return 0;
		s += k;
	}
	return n == 2 * (sizeof(big_str) - 1) && !strcmp(s, "]\n");
}

int main(void)
{
	int err;
	char *s;

	s = render(doc_nested, &err);
	CHECK_STR("json_nested", s,
		  "{\"a\":\"x\",\"n\":18446744073709551615,\"l\":[-1,{},[],true,null],\"z\":0}\n");
	CHECK("json_nested_ok", err == 0);

	s = render(doc_escape, &err);
	CHECK_STR("json_escape", s,
		  "\"q\\\"b\\\\n\\n\\t\\r\\u0001\\u007f\xc3\xa9\"\n");

	s = render(doc_fixed, &err);
	{
		char want[256];

		snprintf(want, sizeof(want), "[1715000000.123,0.5,null,-2,%.0f]\n", 1e80);
		CHECK_STR("json_fixed", s, want);
	}

	memset(big_str, 'a', sizeof(big_str) - 1);
	for (int k = 1; k < (int)sizeof(big_str) - 1; k += 997)
		big_str[k] = '"';
	big_str[JSON_BUF - 2] = '"';
	s = render(doc_big, &err);
	CHECK("json_bigger_than_buffer", big_ok(s) && err == 0);

	render(doc_unbalanced, &err);
	CHECK("json_unbalanced_detected", err != 0);
	render(doc_extra_close, &err);
	CHECK("json_extra_close_detected", err != 0);
	render(doc_two_keys, &err);
	CHECK("json_key_without_value_detected", err != 0);
	UNIT_EXIT();
}
