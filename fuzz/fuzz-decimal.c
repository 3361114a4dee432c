/* sme fuzz: sme_dec_parse, _format, _add, _sub, _cmp; licence in COPYING */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sme.h"

/*
 * The input is one number, or two separated by a newline.  Properties:
 * what parses formats to text that parses to the same digits (value and
 * scale), with either decimal mark; a - b + b == a and a + b - b == a when
 * no step is out of range; the sign of a - b is cmp(a, b); cmp is
 * antisymmetric.
 */

#define FAIL(...) do { fprintf(stderr, "fuzz-decimal: " __VA_ARGS__); \
	fputc('\n', stderr); abort(); } while (0)

static char *
dup(const unsigned char *p, size_t n)
{
	char *s = malloc(n ? n : 1);

	if (!s)
		abort();
	memcpy(s, p, n);
	return s;
}

static void
roundtrip(struct sme_dec d)
{
	char buf[SME_DEC_MAX + 8], *comma;
	struct sme_dec e;
	size_t n;
	int rc;

	if (d.scale < 0 || d.scale > SME_DEC_DIGITS)
		FAIL("scale %d out of 0..%d", d.scale, SME_DEC_DIGITS);
	if (d.v >= 1000000000000000000LL || d.v <= -1000000000000000000LL)
		FAIL("value %lld has more than %d digits", (long long)d.v, SME_DEC_DIGITS);
	n = sme_dec_format(d, buf, '.');
	if (n == 0 || n > SME_DEC_MAX)
		FAIL("format wrote %zu bytes", n);
	rc = sme_dec_parse(&e, buf, n);
	if (rc != SME_DEC_OK)
		FAIL("\"%.*s\" (v %lld scale %d) does not parse again: %d",
		    (int)n, buf, (long long)d.v, d.scale, rc);
	if (sme_dec_cmp(d, e) != 0 || e.v != d.v || e.scale != d.scale)
		FAIL("\"%.*s\": v %lld scale %d came back as v %lld scale %d",
		    (int)n, buf, (long long)d.v, d.scale, (long long)e.v, e.scale);
	/* the decimal comma gives the same text with ',' for '.' */
	n = sme_dec_format(d, buf, ',');
	comma = memchr(buf, ',', n);
	if ((comma != NULL) != (d.scale > 0) || (comma && (size_t)(buf + n - comma - 1) != (size_t)d.scale))
		FAIL("decimal comma misplaced in \"%.*s\" (scale %d)", (int)n, buf, d.scale);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const unsigned char *nl = memchr(data, '\n', size);
	size_t na = nl ? (size_t)(nl - data) : size;
	struct sme_dec a, b, r, s, zero = { 0, 0 };
	char *sa, *sb = NULL;
	int ra, rb = -1, c;

	sa = dup(data, na);
	ra = sme_dec_parse(&a, sa, na);
	if (ra != SME_DEC_OK && ra != SME_DEC_SYNTAX && ra != SME_DEC_RANGE &&
	    ra != SME_DEC_BIG && ra != SME_DEC_FINE)
		FAIL("parse returned %d", ra);
	if (nl) {
		sb = dup(nl + 1, size - na - 1);
		rb = sme_dec_parse(&b, sb, size - na - 1);
	}
	if (ra == SME_DEC_OK) {
		roundtrip(a);
		if (sme_dec_sign(a) != sme_dec_cmp(a, zero))
			FAIL("sign %d but cmp with 0 is %d", sme_dec_sign(a), sme_dec_cmp(a, zero));
	}
	if (ra == SME_DEC_OK && rb == SME_DEC_OK) {
		roundtrip(b);
		c = sme_dec_cmp(a, b);
		if (c != -sme_dec_cmp(b, a))
			FAIL("cmp(a, b) %d but cmp(b, a) %d", c, sme_dec_cmp(b, a));
		if (sme_dec_sub(&r, a, b) == SME_DEC_OK) {
			roundtrip(r);
			if (sme_dec_sign(r) != c)
				FAIL("sign(a - b) %d but cmp(a, b) %d", sme_dec_sign(r), c);
			if (sme_dec_add(&s, r, b) == SME_DEC_OK && sme_dec_cmp(s, a) != 0)
				FAIL("a - b + b != a");
		}
		if (sme_dec_add(&r, a, b) == SME_DEC_OK) {
			roundtrip(r);
			if (sme_dec_sub(&s, r, b) == SME_DEC_OK && sme_dec_cmp(s, a) != 0)
				FAIL("a + b - b != a");
		}
	}
	free(sa);
	free(sb);
	return 0;
}
