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
