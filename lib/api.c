/* sme: the smart-me API's JSON as sent on the wire: any key casing, raw numbers, enums, dates; licence in COPYING */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sme.h"

/*
 * jansson reads numbers through double, which would turn 4843.822 into
 * 4843.8220000000001 and lose serials above 2^53.  So before parsing,
 * every number outside a string becomes a string of its raw text behind
 * the marker \u0001: the values then reach sme_dec_parse() as sent.
 */
#define MARK '\001'

json_t *
sme_api_parse(const char *s, size_t n)
{
	json_error_t e;
	json_t *j;
	char *o, *b;
	size_t i = 0;
	int instr = 0;

	/* each number grows by 8 bytes at most: a number is at least 1 */
	if (n > ((size_t)-1) / 9 - 1)
		return NULL;
	b = o = emalloc(n * 9 + 1);
	while (i < n) {
		char c = s[i];

		if (instr) {
			*o++ = c;
			i++;
			if (c == '\\' && i < n)
				*o++ = s[i++];
			else if (c == '"')
				instr = 0;
			continue;
		}
		if (c == '"') {
			instr = 1;
			*o++ = c;
			i++;
		} else if (c == '-' || (c >= '0' && c <= '9')) {
			memcpy(o, "\"\\u0001", 7);
			o += 7;
			while (i < n && s[i] && strchr("0123456789+-.eE", s[i]))
				*o++ = s[i++];
			*o++ = '"';
		} else {
			*o++ = c;
			i++;
		}
	}
	j = json_loadb(b, (size_t)(o - b), 0, &e);
	free(b);
	return j;
}

json_t *
sme_api_get(json_t *o, const char *key)
{
	const char *k;
	json_t *v;

	if (!json_is_object(o))
		return NULL;
	if ((v = json_object_get(o, key)) && !json_is_null(v))
		return v;
	json_object_foreach(o, k, v)
		if (!strcasecmp(k, key))
			return json_is_null(v) ? NULL : v;
	return NULL;
}

const char *
sme_api_numtext(json_t *v)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;

	return s && s[0] == MARK ? s + 1 : NULL;
}

const char *
sme_api_str(json_t *v)
{
	const char *s = json_is_string(v) ? json_string_value(v) : NULL;

	return s && s[0] != MARK ? s : NULL;
}

int
sme_api_dec(json_t *v, struct sme_dec *d)
{
	const char *s = sme_api_numtext(v);

	return s && sme_dec_parse(d, s, strlen(s)) == SME_DEC_OK ? 0 : -1;
}

int
sme_api_int(json_t *v, long long *out)
{
	const char *s = sme_api_numtext(v);
	char *end;

	if (!s || !*s)
		return -1;
	errno = 0;
	*out = strtoll(s, &end, 10);
	return *end || errno ? -1 : 0;
}

int
sme_api_enum(json_t *v, const char *const *names, int n, long *out)
{
	long long i;
	const char *s;
	int k;

	if (sme_api_int(v, &i) == 0) {
		*out = (long)i;
		return 0;
	}
	if (!(s = sme_api_str(v)))
		return -1;
	for (k = 0; k < n; k++)
		if (names[k] && !strcasecmp(names[k], s)) {
			*out = k;
			return 0;
		}
	return -1;
}

int
sme_api_time(json_t *v, int64_t *ns)
{
	const char *s = sme_api_str(v);

	return s && sme_time_parse(ns, s, strlen(s)) == 0 ? 0 : -1;
}

/* a path segment or query value: unreserved bytes stay, the rest is %XX */
char *
sme_api_esc(const char *s)
{
	static const char hex[] = "0123456789ABCDEF";
	char *o = emalloc(3 * strlen(s) + 1), *b = o;

	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    (c >= '0' && c <= '9') || strchr("-._~", c)) {
			*o++ = (char)c;
		} else {
			*o++ = '%';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o = '\0';
	return b;
}

/* base + the printf result; the caller escapes what it inserts */
char *
sme_api_url(const char *base, const char *fmt, ...)
{
	va_list ap;
	char *p, *u;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	p = emalloc((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(p, (size_t)n + 1, fmt, ap);
	va_end(ap);
	u = emalloc(strlen(base) + (size_t)n + 1);
	strcpy(u, base);
	strcat(u, p);
	free(p);
	return u;
}

/* ---- a fast reader for /ValuesInPastMultiple, the bulk of every run ---- */

struct scan {
	const char *p, *e;
	int depth;
};

static void
ws(struct scan *s)
{
	while (s->p < s->e && (*s->p == ' ' || *s->p == '\t' || *s->p == '\n' ||
	    *s->p == '\r'))
		s->p++;
}

/* after a member or an element: 1 for a ',' (more), 0 for close, -1 else */
static int
sep(struct scan *s, char close)
{
	ws(s);
	if (s->p < s->e && *s->p == ',') {
		s->p++;
		return 1;
	}
	return s->p < s->e && *s->p++ == close ? 0 : -1;
}

/* a string: its raw bytes between the quotes (escapes left as they are) */
static int
str(struct scan *s, const char **b, size_t *n, int *esc)
{
	const char *p;

	ws(s);
	if (s->p >= s->e || *s->p != '"')
		return -1;
	p = ++s->p;
	*esc = 0;
	while (s->p < s->e && *s->p != '"') {
		if ((unsigned char)*s->p < 0x20)
			return -1;
		if (*s->p == '\\') {
			*esc = 1;
			if (++s->p >= s->e)
				return -1;
		}
		s->p++;
	}
	if (s->p >= s->e)
		return -1;
	*b = p;
	*n = (size_t)(s->p - p);
	s->p++;
	return 0;
}

static int
num(struct scan *s, const char **b, size_t *n)
{
	const char *p = s->p;

	while (s->p < s->e && strchr("0123456789+-.eE", *s->p) && *s->p)
		s->p++;
	*b = p;
	*n = (size_t)(s->p - p);
	return *n ? 0 : -1;
}

static int
lit(struct scan *s, const char *w)
{
	size_t n = strlen(w);

	if ((size_t)(s->e - s->p) < n || memcmp(s->p, w, n))
		return -1;
	s->p += n;
	return 0;
}

static int skip(struct scan *s);

/* the members of an object or elements of an array, each skipped */
static int
skipall(struct scan *s, char close, int obj)
{
	const char *b;
	size_t n;
	int esc;

	if (++s->depth > 64)
		return -1;
	ws(s);
	if (s->p < s->e && *s->p == close) {
		s->p++;
		s->depth--;
		return 0;
	}
	for (;;) {
		if (obj) {
			if (str(s, &b, &n, &esc) < 0)
				return -1;
			ws(s);
			if (s->p >= s->e || *s->p++ != ':')
				return -1;
		}
		if (skip(s) < 0)
			return -1;
		ws(s);
		if (s->p >= s->e)
			return -1;
		if (*s->p == ',') {
			s->p++;
			continue;
		}
		if (*s->p++ != close)
			return -1;
		s->depth--;
		return 0;
	}
}

static int
skip(struct scan *s)
{
	const char *b;
	size_t n;
	int esc;

	ws(s);
	if (s->p >= s->e)
		return -1;
	switch (*s->p) {
	case '"': return str(s, &b, &n, &esc);
	case '{': s->p++; return skipall(s, '}', 1);
	case '[': s->p++; return skipall(s, ']', 0);
	case 't': return lit(s, "true");
	case 'f': return lit(s, "false");
	case 'n': return lit(s, "null");
	default: return num(s, &b, &n);
	}
}

static int
keyis(const char *b, size_t n, const char *k)
{
	return strlen(k) == n && !strncasecmp(b, k, n);
}

/* "\u0031" and friends in an OBIS code: decoded through jansson */
static int
unescape(const char *b, size_t n, char *out, size_t max)
{
	char *q = emalloc(n + 3);
	json_t *j;
	const char *v;
	int r = -1;

	q[0] = '"';
	memcpy(q + 1, b, n);
	q[n + 1] = '"';
	if ((j = json_loadb(q, n + 2, JSON_DECODE_ANY, NULL)) &&
	    (v = json_string_value(j)) && strlen(v) < max) {
		strcpy(out, v);
		r = 0;
	}
	json_decref(j);
	free(q);
	return r;
}

struct pend {
	const char *code, *num;
	size_t ncode, nnum;
	int esc;
};

int
sme_api_values(const char *body, size_t len, sme_api_value_fn *fn, void *arg)
{
	struct scan s = { body, body + len, 0 };
	struct pend *v = NULL;
	size_t nv = 0, cap = 0, n, i;
	const char *b, *date;
	size_t ndate;
	char code[64], dbuf[64];
	int esc, desc, k, r = -1;
	int64_t t;

	ws(&s);
	if (s.p >= s.e || *s.p++ != '[')
		goto out;
	ws(&s);
	if (s.p < s.e && *s.p == ']') {
		s.p++;
		goto end;
	}
	for (;;) {
		/* one ValuesData: {"DeviceId":..,"Date":..,"Values":[..]} */
		ws(&s);
		if (s.p >= s.e || *s.p++ != '{')
			goto out;
		date = NULL;
		ndate = 0;
		desc = 0;
		nv = 0;
		ws(&s);
		if (s.p < s.e && *s.p == '}')
			s.p++;
		else for (;;) {
			if (str(&s, &b, &n, &esc) < 0)
				goto out;
			ws(&s);
			if (s.p >= s.e || *s.p++ != ':')
				goto out;
			ws(&s);
			if (keyis(b, n, "Date")) {
				if (s.p < s.e && *s.p == 'n') {
					if (lit(&s, "null") < 0)
						goto out;
				} else if (str(&s, &date, &ndate, &desc) < 0) {
					goto out;
				}
			} else if (keyis(b, n, "Values") && s.p < s.e && *s.p == '[') {
				s.p++;
				ws(&s);
				if (s.p < s.e && *s.p == ']')
					s.p++;
				else for (;;) {
					struct pend pv = { 0 };

					ws(&s);
					if (s.p >= s.e || *s.p++ != '{')
						goto out;
					ws(&s);
					if (s.p < s.e && *s.p == '}')
						s.p++;
					else for (;;) {
						const char *kb;
						size_t kn;
						int kesc;

						if (str(&s, &kb, &kn, &kesc) < 0)
							goto out;
						ws(&s);
						if (s.p >= s.e || *s.p++ != ':')
							goto out;
						ws(&s);
						if (keyis(kb, kn, "Obis") && s.p < s.e &&
						    *s.p == '"') {
							if (str(&s, &pv.code, &pv.ncode,
							    &pv.esc) < 0)
								goto out;
						} else if (keyis(kb, kn, "Value") &&
						    s.p < s.e && (*s.p == '-' ||
						    (*s.p >= '0' && *s.p <= '9'))) {
							if (num(&s, &pv.num, &pv.nnum) < 0)
								goto out;
						} else if (keyis(kb, kn, "Value") &&
						    s.p < s.e && *s.p != 'n') {
							pv.num = "";	/* no number: bad */
							pv.nnum = 0;
							if (skip(&s) < 0)
								goto out;
						} else if (skip(&s) < 0) {
							goto out;
						}
						if ((k = sep(&s, '}')) < 0)
							goto out;
						if (!k)
							break;
					}
					if (nv == cap) {
						cap = cap ? 2 * cap : 32;
						v = erealloc(v, cap * sizeof *v);
					}
					v[nv++] = pv;
					if ((k = sep(&s, ']')) < 0)
						goto out;
					if (!k)
						break;
				}
			} else if (skip(&s) < 0) {
				goto out;
			}
			if ((k = sep(&s, '}')) < 0)
				goto out;
			if (!k)
				break;
		}
		if (!date || ndate >= sizeof dbuf || desc)
			goto bad;
		memcpy(dbuf, date, ndate);
		dbuf[ndate] = '\0';
		if (sme_time_parse(&t, dbuf, ndate) < 0)
			goto bad;
		for (i = 0; i < nv; i++) {
			const char *c = v[i].code;
			size_t cn = v[i].ncode;

			if (c && v[i].esc) {
				if (unescape(c, cn, code, sizeof code) < 0)
					goto bad;
				c = code;
				cn = strlen(code);
			}
			if (fn(arg, t, c, cn, v[i].num, v[i].nnum) < 0)
				goto bad;
		}
		if ((k = sep(&s, ']')) < 0)
			goto out;
		if (!k)
			break;
	}
end:
	ws(&s);
	r = s.p == s.e ? 0 : -1;
	goto out;
bad:
	r = -2;
out:
	free(v);
	return r;
}
