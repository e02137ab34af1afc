// SPDX-License-Identifier: GPL-2.0
/*
 * prom: label and HELP escaping, names, exact decimals, bucket bounds,
 * cumulative histograms with +Inf/_sum/_count, one HELP/TYPE per family.
 */
#include <inttypes.h>
#include <stdlib.h>

#include "prom.h"
#include "unit.h"

static char out[1 << 16];
static FILE *f;

static void open_out(void)
{
	out[0] = '\0';
	f = fmemopen(out, sizeof(out), "w");
	if (!f)
		abort();
}

static const char *close_out(void)
{
	fclose(f);
	return out;
}

static const char *escape(const char *s)
{
	open_out();
	prom_escape_label(f, s);
	return close_out();
}

static void test_escape(void)
{
	char buf[64];

	CHECK_STR("escape_plain", escape("python3"), "python3");
	CHECK_STR("escape_backslash", escape("a\\b"), "a\\\\b");
	CHECK_STR("escape_quote", escape("say \"hi\""), "say \\\"hi\\\"");
	CHECK_STR("escape_newline", escape("two\nlines"), "two\\nlines");
	CHECK_STR("escape_all_three", escape("\\\"\n"), "\\\\\\\"\\n");
	CHECK_STR("escape_empty", escape(""), "");
	CHECK_STR("escape_null_is_empty", escape(NULL), "");
	/* Tabs and other bytes below 0x20 are valid in a label value. */
	CHECK_STR("escape_tab_kept", escape("a\tb"), "a\tb");
	CHECK_STR("escape_utf8_kept", escape("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"),
		  "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
	/* A comm cut in the middle of a character, and stray bytes. */
	CHECK_STR("escape_cut_utf8", escape("ab\xe2\x82"), "ab\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR("escape_latin1", escape("\xe9t\xe9"), "\xef\xbf\xbdt\xef\xbf\xbd");
	CHECK_STR("escape_overlong", escape("\xc0\xaf"), "\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR("escape_surrogate", escape("\xed\xa0\x80"),
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");
	CHECK_STR("escape_above_10ffff", escape("\xf4\x90\x80\x80"),
		  "\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbd");

	open_out();
	prom_escape_help(f, "a \\ b\nc \"d\"");
	/* HELP escapes backslash and newline only; quotes stay. */
	CHECK_STR("help_escape", close_out(), "a \\\\ b\\nc \"d\"");

	CHECK_STR("sanitize_dash", prom_sanitize("connect-async", buf, sizeof(buf)),
		  "connect_async");
	CHECK_STR("sanitize_upper", prom_sanitize("Tcp.Send Size", buf, sizeof(buf)),
		  "tcp_send_size");
	CHECK_STR("sanitize_cuts", prom_sanitize("abcdef", buf, 4), "abc");
}

static void test_names(void)
{
	CHECK("name_ok", prom_valid_name("socktap_tcp_events_total"));
	CHECK("name_colon_ok", prom_valid_name("job:rate5m"));
	CHECK("name_digit_first", !prom_valid_name("1abc"));
	CHECK("name_dash", !prom_valid_name("connect-async"));
	CHECK("name_empty", !prom_valid_name(""));
	CHECK("label_ok", prom_valid_label_name("comm"));
	CHECK("label_colon", !prom_valid_label_name("a:b"));
	CHECK("label_reserved", !prom_valid_label_name("__name__"));
	CHECK("label_digit_first", !prom_valid_label_name("0x"));
}

static const char *dec(uint64_t v, unsigned int scale)
{
	static char buf[40];

	return prom_decimal(v, scale, buf, sizeof(buf));
}

static void test_decimal(void)
{
	CHECK_STR("dec_int", dec(7, 0), "7");
	CHECK_STR("dec_zero", dec(0, 9), "0");
	CHECK_STR("dec_1ns", dec(1, 9), "0.000000001");
	CHECK_STR("dec_1023ns", dec(1023, 9), "0.000001023");
	CHECK_STR("dec_whole_seconds", dec(2000000000, 9), "2");
	CHECK_STR("dec_trailing_zeros", dec(1500000000, 9), "1.5");
	CHECK_STR("dec_ms", dec(45000000, 9), "0.045");
	CHECK_STR("dec_max_ns", dec(UINT64_MAX, 9), "18446744073.709551615");
	CHECK_STR("dec_max_int", dec(UINT64_MAX, 0), "18446744073709551615");
	CHECK_STR("dec_scale_clamped", dec(5, 25), "0.0000000000000000005");
}

static void test_bounds(void)
{
	CHECK("log2_b0", prom_bucket_max(PROM_LOG2, 0) == 1);
	CHECK("log2_b1", prom_bucket_max(PROM_LOG2, 1) == 3);
	CHECK("log2_b9", prom_bucket_max(PROM_LOG2, 9) == 1023);
	CHECK("log2_b62", prom_bucket_max(PROM_LOG2, 62) == UINT64_MAX / 2);
	CHECK("log2_b63", prom_bucket_max(PROM_LOG2, 63) == UINT64_MAX);
	CHECK("qlen_b0", prom_bucket_max(PROM_QLEN, 0) == 0);
	CHECK("qlen_b1", prom_bucket_max(PROM_QLEN, 1) == 1);
	CHECK("qlen_b2", prom_bucket_max(PROM_QLEN, 2) == 3);
	CHECK("qlen_b10", prom_bucket_max(PROM_QLEN, 10) == 1023);
}

static void test_counter(void)
{
	struct prom_label l[2] = { { "event", "connect_established" },
				   { "comm", "a\"b" } };
	struct prom p;

	open_out();
	prom_init(&p, f);
	CHECK("family_ok", !prom_family(&p, "socktap_x_total", PROM_COUNTER,
					"Things.\nMore"));
	prom_sample(&p, l, 2, 42);
	prom_sample(&p, NULL, 0, 0);
	CHECK("family_gauge_ok", !prom_family(&p, "socktap_y", PROM_GAUGE, "Y."));
	prom_sample(&p, l, 1, UINT64_MAX);
	CHECK("finish_ok", prom_finish(&p) == 0);
	prom_free(&p);
	CHECK_STR("counter_text", close_out(),
		  "# HELP socktap_x_total Things.\\nMore\n"
		  "# TYPE socktap_x_total counter\n"
		  "socktap_x_total{event=\"connect_established\",comm=\"a\\\"b\"} 42\n"
		  "socktap_x_total 0\n"
		  "# HELP socktap_y Y.\n"
		  "# TYPE socktap_y gauge\n"
		  "socktap_y{event=\"connect_established\"} 18446744073709551615\n");
}

static void test_misuse(void)
{
	struct prom_label le = { "le", "1" }, bad = { "bad-name", "x" };
	struct prom_hist h = { 0 };
	uint64_t b[2] = { 1, 2 };
	struct prom p;

	open_out();
	prom_init(&p, f);
	prom_sample(&p, NULL, 0, 1);
	CHECK("sample_without_family", prom_finish(&p) != 0);
	prom_free(&p);

	prom_init(&p, f);
	prom_family(&p, "socktap_a", PROM_GAUGE, "A.");
	prom_family(&p, "socktap_b", PROM_GAUGE, "B.");
	CHECK("family_repeated_refused",
	      prom_family(&p, "socktap_a", PROM_GAUGE, "A.") == -1);
	CHECK("family_repeated_fails", prom_finish(&p) != 0);
	prom_free(&p);

	prom_init(&p, f);
	CHECK("family_bad_name", prom_family(&p, "socktap-a", PROM_GAUGE, "") == -1);
	prom_free(&p);

	h.b = b;
	h.n = 2;
	prom_init(&p, f);
	prom_family(&p, "socktap_c_total", PROM_COUNTER, "C.");
	prom_histogram(&p, NULL, 0, &h);
	CHECK("histogram_in_counter", prom_finish(&p) != 0);
	prom_free(&p);

	prom_init(&p, f);
	prom_family(&p, "socktap_h", PROM_HISTOGRAM, "H.");
	prom_sample(&p, NULL, 0, 1);
	CHECK("sample_in_histogram", prom_finish(&p) != 0);
	prom_free(&p);

	prom_init(&p, f);
	prom_family(&p, "socktap_h", PROM_HISTOGRAM, "H.");
	prom_histogram(&p, &le, 1, &h);
	CHECK("le_label_refused", prom_finish(&p) != 0);
	prom_free(&p);

	prom_init(&p, f);
	prom_family(&p, "socktap_g", PROM_GAUGE, "G.");
	prom_sample(&p, &bad, 1, 1);
	CHECK("bad_label_name", prom_finish(&p) != 0);
	prom_free(&p);
	close_out();
}

/*
 * Check a histogram's lines in text: le bounds rising, counts cumulative
 * (never falling), the +Inf bucket last and equal to _count, and _sum as
 * want_sum (NULL: no _sum line).  Returns the number of buckets, -1 bad.
 */
static int hist_consistent(const char *text, const char *fam,
			   const char *want_sum)
{
	char bucket[160], sum[160], count[160], line[512];
	double last_le = -1.0, le;
	uint64_t last = 0, v, inf = UINT64_MAX, cnt = UINT64_MAX;
	const char *s = text, *nl, *q;
	int n = 0, sum_ok = !want_sum;

	snprintf(bucket, sizeof(bucket), "%s_bucket{", fam);
	snprintf(sum, sizeof(sum), "%s_sum", fam);
	snprintf(count, sizeof(count), "%s_count", fam);
	for (; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		if (!nl)
			return -1;
		snprintf(line, sizeof(line), "%.*s", (int)(nl - s), s);
		if (!strncmp(line, bucket, strlen(bucket))) {
			if (inf != UINT64_MAX)
				return -1;	/* a bucket after +Inf */
			q = strstr(line, "le=\"");
			if (!q || sscanf(strrchr(line, ' '), " %" SCNu64, &v) != 1)
				return -1;
			if (v < last)
				return -1;
			last = v;
			if (!strncmp(q + 4, "+Inf\"", 5)) {
				inf = v;
			} else {
				le = strtod(q + 4, NULL);
				if (le <= last_le)
					return -1;
				last_le = le;
			}
			n++;
		} else if (!strncmp(line, sum, strlen(sum))) {
			sum_ok = want_sum && !strcmp(strrchr(line, ' ') + 1, want_sum);
		} else if (!strncmp(line, count, strlen(count))) {
			if (sscanf(strrchr(line, ' '), " %" SCNu64, &cnt) != 1)
				return -1;
		}
	}
	return inf == cnt && sum_ok ? n : -1;
}

static void test_histogram(void)
{
	struct prom_label l[1] = { { "pid", "42" } };
	uint64_t b[64] = { 0 }, q[24] = { 0 };
	struct prom_hist h = { 0 };
	const char *text;
	struct prom p;

	/* 2 values in [0,2) ns, 5 in [1K,2K), 1 in [1M,2M), 1 in the last. */
	b[0] = 2;
	b[10] = 5;
	b[20] = 1;
	b[63] = 1;
	h.b = b;
	h.n = 64;
	h.layout = PROM_LOG2;
	h.scale = 9;
	h.has_sum = 1;
	h.sum = 3500000123ull;
	open_out();
	prom_init(&p, f);
	prom_family(&p, "socktap_connect_seconds", PROM_HISTOGRAM, "Connect.");
	prom_histogram(&p, NULL, 0, &h);
	CHECK("hist_finish", prom_finish(&p) == 0);
	prom_free(&p);
	text = close_out();
	CHECK("hist_first_bucket_1ns",
	      strstr(text, "socktap_connect_seconds_bucket{le=\"0.000000001\"} 2\n") != NULL);
	CHECK("hist_bucket9_cumulative",
	      strstr(text, "socktap_connect_seconds_bucket{le=\"0.000001023\"} 2\n") != NULL);
	CHECK("hist_bucket10_adds",
	      strstr(text, "socktap_connect_seconds_bucket{le=\"0.000002047\"} 7\n") != NULL);
	CHECK("hist_bucket20_adds",
	      strstr(text, "socktap_connect_seconds_bucket{le=\"0.002097151\"} 8\n") != NULL);
	CHECK("hist_bucket62",
	      strstr(text, "socktap_connect_seconds_bucket{le=\"9223372036.854775807\"} 8\n") != NULL);
	/* The last bucket is open-ended: only +Inf counts it. */
	CHECK("hist_inf_has_last",
	      strstr(text, "socktap_connect_seconds_bucket{le=\"+Inf\"} 9\n") != NULL);
	CHECK("hist_sum_seconds",
	      strstr(text, "socktap_connect_seconds_sum 3.500000123\n") != NULL);
	CHECK("hist_count", strstr(text, "socktap_connect_seconds_count 9\n") != NULL);
	CHECK("hist_64_lines", hist_consistent(text, "socktap_connect_seconds",
					       "3.500000123") == 64);
	CHECK("hist_one_help", strstr(text, "# HELP socktap_connect_seconds Connect.\n# TYPE socktap_connect_seconds histogram\n") == text);

	/* Bytes stay bytes; labels come before le. */
	memset(b, 0, sizeof(b));
	b[10] = 3;	/* three 1024-byte writes: <= 2047, not <= 1023 */
	h.n = 32;
	h.scale = 0;
	h.sum = 3072;
	open_out();
	prom_init(&p, f);
	prom_family(&p, "socktap_process_tcp_sendmsg_bytes", PROM_HISTOGRAM, "S.");
	prom_histogram(&p, l, 1, &h);
	CHECK("bytes_finish", prom_finish(&p) == 0);
	prom_free(&p);
	text = close_out();
	CHECK("bytes_1023_excludes_1024",
	      strstr(text, "_bucket{pid=\"42\",le=\"1023\"} 0\n") != NULL);
	CHECK("bytes_2047_includes_1024",
	      strstr(text, "_bucket{pid=\"42\",le=\"2047\"} 3\n") != NULL);
	CHECK("bytes_last_le", strstr(text, "le=\"2147483647\"} 3\n") != NULL);
	CHECK("bytes_sum", strstr(text, "_sum{pid=\"42\"} 3072\n") != NULL);
	CHECK("bytes_count", strstr(text, "_count{pid=\"42\"} 3\n") != NULL);
	CHECK("bytes_32_lines", hist_consistent(text, "socktap_process_tcp_sendmsg_bytes",
						"3072") == 32);

	/* Queue lengths: le 0, 1, 3, 7, ...; no _sum. */
	q[0] = 4;
	q[1] = 1;
	q[3] = 2;	/* lengths 4 to 7 */
	q[23] = 1;	/* 4M and more */
	memset(&h, 0, sizeof(h));
	h.b = q;
	h.n = 24;
	h.layout = PROM_QLEN;
	open_out();
	prom_init(&p, f);
	prom_family(&p, "socktap_listener_accept_queue_length", PROM_HISTOGRAM, "Q.");
	prom_histogram(&p, l, 1, &h);
	CHECK("qlen_finish", prom_finish(&p) == 0);
	prom_free(&p);
	text = close_out();
	CHECK("qlen_le0", strstr(text, "{pid=\"42\",le=\"0\"} 4\n") != NULL);
	CHECK("qlen_le1", strstr(text, "{pid=\"42\",le=\"1\"} 5\n") != NULL);
	CHECK("qlen_le3", strstr(text, "{pid=\"42\",le=\"3\"} 5\n") != NULL);
	CHECK("qlen_le7", strstr(text, "{pid=\"42\",le=\"7\"} 7\n") != NULL);
	CHECK("qlen_inf", strstr(text, "{pid=\"42\",le=\"+Inf\"} 8\n") != NULL);
	CHECK("qlen_no_sum", strstr(text, "_sum") == NULL);
	CHECK("qlen_24_lines", hist_consistent(text, "socktap_listener_accept_queue_length",
					       NULL) == 24);

	/* An empty histogram: zeros everywhere, still consistent. */
	memset(b, 0, sizeof(b));
	memset(&h, 0, sizeof(h));
	h.b = b;
	h.n = 64;
	h.scale = 9;
	h.has_sum = 1;
	open_out();
	prom_init(&p, f);
	prom_family(&p, "socktap_e_seconds", PROM_HISTOGRAM, "E.");
	prom_histogram(&p, NULL, 0, &h);
	prom_finish(&p);
	prom_free(&p);
	text = close_out();
	CHECK("empty_consistent", hist_consistent(text, "socktap_e_seconds", "0") == 64);
	CHECK("empty_inf_zero", strstr(text, "_bucket{le=\"+Inf\"} 0\n") != NULL);
}

int main(void)
{
	test_escape();
	test_names();
	test_decimal();
	test_bounds();
	test_counter();
	test_misuse();
	test_histogram();
	UNIT_EXIT();
}
