/* sme tests: decimals, OBIS codes, times, records and shown text of libsme; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"
#include "tap.h"

static const char *
dec(const char *a)
{
	static char buf[64];
	struct sme_dec d;
	int rc = sme_dec_parse(&d, a, strlen(a));

	if (rc == SME_DEC_SYNTAX)
		return "syntax";
	if (rc == SME_DEC_RANGE)
		return "range";
	if (rc == SME_DEC_BIG)
		return "big";
	if (rc == SME_DEC_FINE)
		return "fine";
	buf[sme_dec_format(d, buf, '.')] = '\0';
	return buf;
}

static const char *
sub(const char *a, const char *b)
{
	static char buf[64];
	struct sme_dec x, y, r;

	sme_dec_parse(&x, a, strlen(a));
	sme_dec_parse(&y, b, strlen(b));
	if (sme_dec_sub(&r, x, y))
		return "range";
	buf[sme_dec_format(r, buf, '.')] = '\0';
	return buf;
}

static const char *
shift(const char *a, int k)
{
	static char buf[64];
	struct sme_dec d;
	int rc;

	sme_dec_parse(&d, a, strlen(a));
	if ((rc = sme_dec_shift(&d, k)) != SME_DEC_OK)
		return rc == SME_DEC_BIG ? "big" : rc == SME_DEC_FINE ? "fine" : "range";
	buf[sme_dec_format(d, buf, '.')] = '\0';
	return buf;
}

static const char *
obis(const char *s)
{
	static char buf[SME_OBIS_MAX];
	struct sme_obis o;

	if (sme_obis_parse(&o, s, strlen(s)))
		return "bad";
	sme_obis_format(&o, buf);
	return buf;
}

static const char *
mapped(const char *s, int d)
{
	static char buf[SME_OBIS_MAX];
	struct sme_obis o;

	sme_obis_parse(&o, s, strlen(s));
	if (sme_obis_map(&o, d))
		return "-";
	sme_obis_format(&o, buf);
	return buf;
}

static const char *
utc(const char *s)
{
	static char buf[SME_TIME_MAX];
	int64_t t;

	if (sme_time_parse(&t, s, strlen(s)))
		return "bad";
	sme_time_format(t, buf);
	return buf;
}

static const char *
local(const char *s)
{
	static char buf[SME_TIME_MAX];
	int64_t t;

	sme_time_parse(&t, s, strlen(s));
	sme_time_format_local(t, buf);
	return buf;
}

static const char *
period(int iv, const char *s, int next)
{
	static char buf[SME_TIME_MAX];
	int64_t t;

	sme_time_parse(&t, s, strlen(s));
	t /= SME_NS;
	t = next ? sme_interval_next(iv, t) : sme_interval_floor(iv, t);
	sme_time_format(t * SME_NS, buf);
	return buf;
}

static int
meter(const char *a, const char *b)
{
	struct sme_str x = { a, strlen(a) }, y = { b, strlen(b) };

	return sme_meter_cmp(x, y);
}

static const char *
roundtrip(const char *line)
{
	static char err[256];
	struct sme_parser *p = sme_parser_new();
	struct sme_record r;

	if (sme_record_parse(p, &r, line, strlen(line), err, sizeof err)) {
		sme_parser_free(p);
		return err;
	}
	sme_parser_free(p);
	return "ok";
}

int
main(void)
{
	int64_t t;

	/* decimals */
	is_str(dec("1234.567"), "1234.567", "decimal keeps its digits");
	is_str(dec("1.50"), "1.50", "trailing zeros are kept");
	is_str(dec("-0.001"), "-0.001", "negative fraction");
	is_str(dec("1.5e3"), "1500", "exponent is applied exactly");
	is_str(dec("25E-4"), "0.0025", "negative exponent");
	is_str(dec("123456789012345678"), "123456789012345678", "18 digits fit");
	is_str(dec("1234567890123456789"), "big", "19 integer digits are too large");
	is_str(dec("1e999"), "big", "1e999 is too large");
	is_str(dec("1e18"), "big", "1e18: one digit, but too large");
	is_str(dec("9.99e17"), "999000000000000000", "9.99e17 fits");
	is_str(dec("1.5e18"), "big", "1.5e18 is too large");
	is_str(dec("1000000000000000000"), "big", "10^18 is too large");
	is_str(dec("1.00000000000000000001"), "range", "21 significant digits");
	is_str(dec("1e-19"), "fine", "19 decimal places");
	is_str(dec("0.0000000000000000001"), "fine", "19 decimal places, one digit");
	is_str(dec("1e-18"), "0.000000000000000001", "18 decimal places fit");
	is_str(dec("NaN"), "syntax", "NaN is not a number");
	is_str(dec("1,5"), "syntax", "a decimal comma is not JSON");
	is_str(dec("01"), "syntax", "leading zero");
	is_str(dec("1."), "syntax", "point without digits");
	is_str(sub("1234.567", "1234.123"), "0.444", "register difference is exact");
	is_str(sub("0.3", "0.1"), "0.2", "0.3 - 0.1 is 0.2");
	is_str(sub("100", "99.999"), "0.001", "scales are aligned");
	is_str(sub("-999999999999999999", "1"), "range", "overflow is reported");
	is_str(shift("5", 3), "5000", "sme_dec_shift: 5 kWh is 5000 Wh");
	is_str(shift("1.5", 3), "1500", "sme_dec_shift: the scale is used up first");
	is_str(shift("1.23456", 3), "1234.56", "sme_dec_shift: within the scale");
	is_str(shift("6000", -3), "6.000", "sme_dec_shift: 6000 Wh is 6.000 kWh, the digits kept");
	is_str(shift("-2.5", 6), "-2500000", "sme_dec_shift: negative values");
	is_str(shift("999999999999999", 3), "999999999999999000", "sme_dec_shift: just below 10^18");
	is_str(shift("1000000000000000", 3), "big", "sme_dec_shift: 10^18 or more is refused");
	is_str(shift("1.123456789012345", -6), "fine", "sme_dec_shift: more than 18 decimals is refused");

	/* OBIS codes */
	is_str(obis("1-0:1.8.0*255"), "1-0:1.8.0*255", "full form");
	is_str(obis("1-0:1.8.0"), "1-0:1.8.0*255", "without F");
	is_str(obis("1.8.0"), "1-0:1.8.0*255", "C.D.E");
	is_str(obis("0100010800FF"), "1-0:1.8.0*255", "hex form");
	is_str(obis("63000C0101ff"), "99-0:12.1.1*255", "hex, lower case");
	is_str(obis("1-0: 1.8.0 * 255"), "1-0:1.8.0*255", "product form with spaces");
	is_str(obis("1-0 : 2.8.1 * 255"), "1-0:2.8.1*255", "space before the colon");
	is_str(obis("1-0:1.8.256"), "bad", "group over 255");
	is_str(obis("1-0:1.8"), "bad", "two groups");
	is_str(obis("x"), "bad", "garbage");
	is_str(mapped("1-0:1.8.0*255", SME_DIALECT_ISE), "1-1:1.8.0*255", "ise uses B=1");
	is_str(mapped("1-1:5.8.0*255", SME_DIALECT_CSV), "1-1:5.8.0*255", "csv reactive keeps B=1");
	is_str(mapped("1-1:1.8.2*255", SME_DIALECT_CSV), "1-0:1.8.2*255", "csv active uses B=0");
	is_str(mapped("6-1:1.0.0*255", SME_DIALECT_CSV), "6-0:1.0.0*255", "csv heat");
	is_str(mapped("1-0:1.29.0*255", SME_DIALECT_MSCONS), "1-1:1.29.0*255", "mscons profile");
	is_str(mapped("1-0:1.8.0*255", SME_DIALECT_MSCONS), "-", "mscons carries no registers");
	is_str(mapped("1-0:1.29.0*255", SME_DIALECT_CSV), "-", "csv carries no profiles");
	is_str(mapped("1-5:1.8.3*255", SME_DIALECT_ISE), "1-5:1.8.3*255", "ise virtual tariff");
	is_str(mapped("1-5:1.8.3*255", SME_DIALECT_CSV), "-", "csv has no virtual tariffs");
	is_str(mapped("1-0:32.7.0*255", SME_DIALECT_ISE), "-", "voltage is in no format");

	/* times */
	is_str(utc("2026-11-01T00:15:00Z"), "2026-11-01T00:15:00Z", "UTC round trip");
	is_str(utc("2026-11-01T01:15:00+01:00"), "2026-11-01T00:15:00Z", "offset to UTC");
	is_str(utc("2026-07-25T13:06:32.0500519Z"), "2026-07-25T13:06:32.0500519Z", "7 fraction digits kept");
	is_str(utc("2024-02-29T00:00:00Z"), "2024-02-29T00:00:00Z", "leap day");
	is_str(utc("2026-02-29T00:00:00Z"), "bad", "no leap day in 2026");
	is_str(utc("2026-11-01 00:15:00Z"), "bad", "space separator is not RFC 3339");
	is_str(utc("2026-11-01T00:15:00"), "bad", "no zone");
	is_str(utc("01.11.2026 00:15"), "bad", "Swiss date");
	is_str(utc("2026-11-01T00:15:00.1234567890Z"), "2026-11-01T00:15:00.123456789Z", "a tenth fraction digit 0 is no finer");
	ok(sme_time_parse(&t, "2026-11-01T00:15:00.1234567891Z", 31) == SME_TIME_FINE, "a tenth fraction digit: SME_TIME_FINE");
	ok(sme_time_parse(&t, "2016-12-31T23:59:60Z", 20) == SME_TIME_LEAP, "a leap second: SME_TIME_LEAP");
	ok(sme_time_parse(&t, "2016-12-31T23:59:61Z", 20) == SME_TIME_SYNTAX, ":61 is no time");
	ok(sme_time_parse(&t, "1677-12-31T23:59:59Z", 20) == SME_TIME_RANGE, "1677: SME_TIME_RANGE");
	ok(sme_time_parse(&t, "2262-01-01T00:00:00Z", 20) == SME_TIME_RANGE, "2262: SME_TIME_RANGE");
	is_str(utc("1678-01-01T00:00:00-01:00"), "1678-01-01T01:00:00Z", "the first year, west of UTC");
	ok(sme_time_parse(&t, "1678-01-01T00:00:00+01:00", 25) == SME_TIME_RANGE,
	    "1678 east of UTC is 1677 in UTC: SME_TIME_RANGE (it could not be read back)");
	is_str(utc("2261-12-31T23:59:59.999999999+23:59"), "2261-12-31T00:00:59.999999999Z", "the last year, east of UTC");
	ok(sme_time_parse(&t, "2261-12-31T23:59:59-00:01", 25) == SME_TIME_RANGE,
	    "2261 west of UTC is 2262 in UTC: SME_TIME_RANGE");
	ok(sme_zone_set("Europe/Zurich") == 0, "zone Europe/Zurich");
	ok(sme_zone_set("Mars/Olympus") < 0, "unknown zone refused");
	sme_zone_set("Europe/Zurich");
	is_str(local("2026-10-25T00:30:00Z"), "2026-10-25T02:30:00+02:00", "summer time, first 02:30");
	is_str(local("2026-10-25T01:30:00Z"), "2026-10-25T02:30:00+01:00", "winter time, second 02:30");
	is_str(local("2026-03-29T01:00:00Z"), "2026-03-29T03:00:00+02:00", "spring: 02:00 is skipped");
	is_str(period(SME_IV_DAY, "2026-10-25T12:00:00Z", 0), "2026-10-24T22:00:00Z", "day of 25 h starts");
	is_str(period(SME_IV_DAY, "2026-10-25T12:00:00Z", 1), "2026-10-25T23:00:00Z", "and ends 25 h later");
	is_str(period(SME_IV_DAY, "2026-03-29T12:00:00Z", 1), "2026-03-29T22:00:00Z", "day of 23 h ends");
	is_str(period(SME_IV_HOUR, "2026-10-25T01:30:00Z", 0), "2026-10-25T01:00:00Z", "second 02:00 hour");
	is_str(period(SME_IV_15MIN, "2026-10-25T01:59:59Z", 1), "2026-10-25T02:00:00Z", "quarter hour");
	is_str(period(SME_IV_WEEK, "2026-11-01T12:00:00Z", 0), "2026-10-25T23:00:00Z", "week starts Monday");
	is_str(period(SME_IV_MONTH, "2026-10-15T12:00:00Z", 1), "2026-10-31T23:00:00Z", "next month");
	is_str(period(SME_IV_QUARTER, "2026-11-15T12:00:00Z", 0), "2026-09-30T22:00:00Z", "quarter");
	is_str(period(SME_IV_HALFYEAR, "2026-11-15T12:00:00Z", 1), "2026-12-31T23:00:00Z", "half-year");
	is_str(period(SME_IV_YEAR, "2026-11-15T12:00:00Z", 0), "2025-12-31T23:00:00Z", "year");
	ok(sme_duration_parse("15m") == 900 && sme_duration_parse("1h") == 3600 &&
	    sme_duration_parse("x") < 0, "durations");

	/* meters */
	ok(meter("9", "10") < 0, "meters compare as numbers");
	ok(meter("-5", "3") < 0 && meter("-5", "-3") < 0, "negative serials");
	ok(meter("18446744073709551617", "18446744073709551616") > 0, "beyond 2^64");
	ok(meter("abc", "abd") < 0 && meter("007", "7") < 0 && meter("7", "007") > 0,
	    "names go by bytes; 007 and 7 are two meters");
	ok(meter("9", "10") < 0 && meter("10", "1a") < 0 && meter("9", "1a") < 0,
	    "integers before names: the order is transitive");

	/* records */
	is_str(roundtrip("{\"meter\":\"1\",\"obis\":\"1.8.0\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":1,\"unit\":\"kWh\"}"),
	    "ok", "a minimal record");
	is_str(roundtrip("{\"meter\":1,\"obis\":\"1.8.0\",\"time\":\"2026-11-01T00:00:00Z\",\"unit\":\"kWh\",\"quality\":\"missing\"}"),
	    "ok", "a missing value needs no value");
	is_str(roundtrip("{\"meter\":\"1\",\"obis\":\"1.8.0\",\"time\":\"2026-11-01T00:00:00Z\",\"value\":1}"),
	    "record has no unit", "unit is required");
	is_str(roundtrip("{\"meter\":\"1\",\"obis\":\"1.8.0\",\"start\":\"2026-11-01T00:00:00Z\",\"value\":1,\"unit\":\"kWh\"}"),
	    "record has start but no end", "start needs end");
	is_str(roundtrip("{\"meter\":\"1\",\"meter\":\"2\"}"), "duplicate member \"meter\"", "duplicate member");
	is_str(roundtrip("{\"meter\":\"1\",\"x\":\"\\ud800\"}"), "invalid JSON: bad escape in string at column 19",
	    "lone surrogate");
	is_str(roundtrip("{\"meter\":\"1\",\"\\u006d\\u0065\\u0074\\u0065\\u0072\":\"2\"}"),
	    "duplicate member \"meter\"", "an escaped member name is the same name");
	is_str(roundtrip("[1]"), "invalid JSON: a record is an object, expected '{' at column 1", "not an object");
	is_str(roundtrip("{\"meter\":\"1\"} x"), "invalid JSON: text after the record at column 15", "trailing text");
	/* text shown in messages */
	is_str(sme_shown("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80.csv"), "caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80.csv",
	    "printable UTF-8 stays as it is");
	is_str(sme_shown("a\nb\rc\td\x1b[2Je\\f"), "a\\nb\\rc\\td\\e[2Je\\\\f", "LF, CR, TAB, ESC and backslash: \\n \\r \\t \\e \\\\");
	is_str(sme_shown("\x01\x1f\x7f"), "\\x01\\x1f\\x7f", "other C0 and DEL: \\xHH");
	is_str(sme_shown("\xc2\x85\xc2\x9f\xc2\xa0"), "\\xc2\\x85\\xc2\\x9f\xc2\xa0", "C1 controls byte by byte; U+00A0 stays");
	is_str(sme_shown("caf\xe9"), "caf\\xe9", "Latin-1: not UTF-8");
	is_str(sme_shown("\xc0\xaf\xe0\x80\xaf\xed\xa0\x80\xf4\x90\x80\x80\xf8"), "\\xc0\\xaf\\xe0\\x80\\xaf\\xed\\xa0\\x80\\xf4\\x90\\x80\\x80\\xf8",
	    "overlong forms, a surrogate, beyond U+10FFFF, 0xf8");
	is_str(sme_shown("x\xe2\x82"), "x\\xe2\\x82", "a sequence cut at the end");
	is_str(sme_shown("\xe2\x80\xa8\xe2\x80\xae\xe2\x81\xa6\xe2\x80\xa7"), "\\xe2\\x80\\xa8\\xe2\\x80\\xae\\xe2\\x81\\xa6\xe2\x80\xa7",
	    "line separator, bidirectional controls escaped; U+2027 stays");
	is_str(sme_shown(NULL), "", "NULL is empty");
	is_str(sme_shown_n("a\0b", 3, 0), "a\\x00b", "sme_shown_n: a NUL as \\x00");
	is_str(sme_shown_n("abcdef", 6, 3), "abc...", "sme_shown_n: cut after max characters");
	is_str(sme_shown_n("\n\n\n\n", 4, 3), "\\n\\n\\n...", "an escape counts as one character");
	is_str(sme_shown_n("abc", 3, 3), "abc", "exactly max characters: not cut");
	is_str(sme_shown_n("qq\xe2\x80\xae\xe2\x80\xae", 8, 4), "qq...",
	    "an escaped U+202E that does not fit is not cut inside: the cut comes before it");
	is_str(sme_shown_n("q\xe2\x80\xaeq", 5, 4), "q\\xe2\\x80\\xae...",
	    "an escaped U+202E that just fits is shown whole");
	is_str(sme_shown_n("\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac", 9, 2), "\xe2\x82\xac\xe2\x82\xac...",
	    "a plain multi-byte character counts one and is never cut");
	is_str(sme_shown_n("qq\xe2\x80\xe2", 5, 3), "qq\\xe2...", "bytes that are not UTF-8 count one each");
	{
		char q[128] = "";

		memset(q, 'q', 118);
		memcpy(q + 118, "\xe2\x80\xae\xe2\x80\xae", 7);
		is_str(sme_shown_cut(q), "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq"
		    "qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqq...",
		    "sme_shown_cut: 118 q and U+202E U+202E: cut after the q, not inside U+202E");
	}
	{
		char big[5001];
		const char *a, *b;
		int i;

		memset(big, '\n', 5000);
		big[5000] = '\0';
		a = sme_shown(big);
		ok(strlen(a) == 10000 && !strncmp(a + 9990, "\\n\\n\\n\\n\\n", 10), "sme_shown keeps 5000 characters whole");
		memset(big, 'x', 5000);
		b = sme_shown_cut(big);
		ok(strlen(b) == SME_SHOWN_MAX + 3 && !strcmp(b + SME_SHOWN_MAX, "..."), "sme_shown_cut: %d characters and ...",
		    SME_SHOWN_MAX);
		for (i = 0; i < 6; i++)
			sme_shown("y");
		ok(strlen(a) == 10000 && strlen(b) == SME_SHOWN_MAX + 3, "eight results live at once");
		sme_shown("z");
		is_str(a, "z", "the ninth call takes the first one's place");
	}
	return done_testing();
}
