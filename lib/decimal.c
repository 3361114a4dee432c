/* sme: exact decimal values; licence in COPYING */
#include <string.h>

#include "sme.h"

static const int64_t pow10[SME_DEC_DIGITS + 1] = {
	1LL, 10LL, 100LL, 1000LL, 10000LL, 100000LL, 1000000LL, 10000000LL,
	100000000LL, 1000000000LL, 10000000000LL, 100000000000LL,
	1000000000000LL, 10000000000000LL, 100000000000000LL,
	1000000000000000LL, 10000000000000000LL, 100000000000000000LL,
	1000000000000000000LL
};
#define LIMIT pow10[SME_DEC_DIGITS]	/* |v| must stay below 10^18 */

static int
isdig(char c)
{
	return c >= '0' && c <= '9';
}

/*
 * JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
 * The digits are kept as given: 1.50 has scale 2.
 */
int
sme_dec_parse(struct sme_dec *d, const char *s, size_t n)
{
	const char *p = s, *e = s + n;
	int neg = 0, sig = 0, scale = 0, eneg = 0;
	int64_t v = 0, ex = 0;

	if (p < e && *p == '-') {
		neg = 1;
		p++;
	}
	if (p >= e || !isdig(*p))
		return SME_DEC_SYNTAX;
	if (*p == '0' && p + 1 < e && isdig(p[1]))
		return SME_DEC_SYNTAX;
	for (; p < e && isdig(*p); p++) {
		if (sig || *p != '0') {
			if (++sig > SME_DEC_DIGITS)
				return SME_DEC_BIG;	/* 10^18 or more */
			v = v * 10 + (*p - '0');
		}
	}
	if (p < e && *p == '.') {
		p++;
		if (p >= e || !isdig(*p))
			return SME_DEC_SYNTAX;
		for (; p < e && isdig(*p); p++) {
			if (sig || *p != '0') {
				if (++sig > SME_DEC_DIGITS)
					return SME_DEC_RANGE;
			}
			v = v * 10 + (*p - '0');
			scale++;
		}
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			eneg = *p++ == '-';
		if (p >= e || !isdig(*p))
			return SME_DEC_SYNTAX;
		for (; p < e && isdig(*p); p++)
			if (ex < 100000)
				ex = ex * 10 + (*p - '0');
	}
	if (p != e)
		return SME_DEC_SYNTAX;
	if (eneg)
		ex = -ex;
	/* the value is v * 10^(ex - scale) */
	ex -= scale;
	if (v == 0) {
		scale = ex < 0 ? (int)(-ex > SME_DEC_DIGITS ? SME_DEC_DIGITS : -ex) : 0;
	} else if (ex > 0) {
		/* v * 10^ex must stay below 10^18 */
		if (ex > SME_DEC_DIGITS || v >= LIMIT / pow10[ex])
			return SME_DEC_BIG;
		v *= pow10[ex];
		scale = 0;
	} else {
		if (-ex > SME_DEC_DIGITS)
			return SME_DEC_FINE;
		scale = (int)-ex;
	}
	d->v = neg ? -v : v;
	d->scale = scale;
	return SME_DEC_OK;
}

/* a and b brought to one scale, in 128 bits */
static int
align(struct sme_dec a, struct sme_dec b, __int128 *x, __int128 *y)
{
	int s = a.scale > b.scale ? a.scale : b.scale;

	*x = (__int128)a.v * pow10[s - a.scale];
	*y = (__int128)b.v * pow10[s - b.scale];
	return s;
}

static int
store(struct sme_dec *r, __int128 v, int scale)
{
	if (v >= LIMIT || v <= -LIMIT)
		return SME_DEC_RANGE;
	r->v = (int64_t)v;
	r->scale = scale;
	return SME_DEC_OK;
}

int
sme_dec_sub(struct sme_dec *r, struct sme_dec a, struct sme_dec b)
{
	__int128 x, y;
	int s = align(a, b, &x, &y);

	return store(r, x - y, s);
}

int
sme_dec_add(struct sme_dec *r, struct sme_dec a, struct sme_dec b)
{
	__int128 x, y;
	int s = align(a, b, &x, &y);

	return store(r, x + y, s);
}

int
sme_dec_shift(struct sme_dec *d, int k)
{
	int64_t v = d->v;
	int s = d->scale;

	if (k < -SME_DEC_DIGITS || k > SME_DEC_DIGITS)
		return SME_DEC_RANGE;
	if (k < 0) {
		if (s - k > SME_DEC_DIGITS)
			return SME_DEC_FINE;
		s -= k;
	} else if (k <= s) {
		s -= k;
	} else {
		k -= s;
		if (v >= LIMIT / pow10[k] || v <= -LIMIT / pow10[k])
			return SME_DEC_BIG;
		v *= pow10[k];
		s = 0;
	}
	d->v = v;
	d->scale = s;
	return SME_DEC_OK;
}

int
sme_dec_cmp(struct sme_dec a, struct sme_dec b)
{
	__int128 x, y;

	align(a, b, &x, &y);
	return (x > y) - (x < y);
}

int
sme_dec_sign(struct sme_dec a)
{
	return (a.v > 0) - (a.v < 0);
}

size_t
sme_dec_format(struct sme_dec d, char *buf, char point)
{
	char tmp[SME_DEC_MAX];
	uint64_t u = d.v < 0 ? (uint64_t)0 - (uint64_t)d.v : (uint64_t)d.v;
	size_t i = sizeof tmp, n = 0;
	int k;

	for (k = 0; k < d.scale; k++) {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	}
	if (d.scale)
		tmp[--i] = point;
	do {
		tmp[--i] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (d.v < 0)
		buf[n++] = '-';
	memcpy(buf + n, tmp + i, sizeof tmp - i);
	return n + sizeof tmp - i;
}
