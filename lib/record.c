/* sme: the record stream: one JSON object a line, read and written without jansson; licence in COPYING */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"

/*
 * The record reader is the hot path of every filter, so it is a strict
 * JSON parser of its own: it validates the whole line (syntax, UTF-8,
 * escapes, nesting), decodes the fields a record defines, and keeps every
 * other member verbatim so that writers can pass it through.
 */

const char *const sme_quality_names[] = {
	"measured", "estimated", "substituted", "missing"
};

#define MAXDEPTH 64

struct sme_parser {
	char *scratch;
	size_t cap;
	char *str;		/* next free byte for decoded strings */
	char *extra;		/* start of the verbatim members */
	size_t nextra;
	const char *line, *p, *e;
	char *err;
	size_t errlen;
};

enum { F_METER, F_DEVICE, F_MPID, F_OBIS, F_TIME, F_START, F_END, F_VALUE,
    F_UNIT, F_QUALITY, F_TARIFF, NFIELD };
static const struct {
	const char *name;
	size_t len;
} fields[NFIELD] = {
	{ "meter", 5 }, { "device", 6 }, { "mpid", 4 }, { "obis", 4 },
	{ "time", 4 }, { "start", 5 }, { "end", 3 }, { "value", 5 },
	{ "unit", 4 }, { "quality", 7 }, { "tariff", 6 }
};

struct sme_parser *
sme_parser_new(void)
{
	return ecalloc(1, sizeof(struct sme_parser));
}

void
sme_parser_free(struct sme_parser *ps)
{
	if (ps) {
		free(ps->scratch);
		free(ps);
	}
}

static int
fail(struct sme_parser *ps, const char *fmt, ...)
{
	va_list ap;

	if (!ps->err[0]) {
		va_start(ap, fmt);
		vsnprintf(ps->err, ps->errlen, fmt, ap);
		va_end(ap);
	}
	return -1;
}

static long
col(struct sme_parser *ps, const char *at)
{
	return (long)(at - ps->line) + 1;
}

static void
ws(struct sme_parser *ps)
{
	while (ps->p < ps->e && (*ps->p == ' ' || *ps->p == '\t' ||
	    *ps->p == '\r' || *ps->p == '\n'))
		ps->p++;
}

static int
hex4(const char *s, unsigned *v)
{
	int i, c;

	*v = 0;
	for (i = 0; i < 4; i++) {
		c = (unsigned char)s[i];
		if (c >= '0' && c <= '9')
			c -= '0';
		else if (c >= 'a' && c <= 'f')
			c -= 'a' - 10;
		else if (c >= 'A' && c <= 'F')
			c -= 'A' - 10;
		else
			return -1;
		*v = *v << 4 | (unsigned)c;
	}
	return 0;
}

/* length of the UTF-8 sequence at s (< e), or 0 when it is not valid */
static int
utf8len(const unsigned char *s, const unsigned char *e)
{
	unsigned c = s[0], lo = 0x80, hi = 0xbf;
	int n, i;

	if (c >= 0xc2 && c <= 0xdf)
		n = 2;
	else if (c >= 0xe0 && c <= 0xef) {
		n = 3;
		if (c == 0xe0)
			lo = 0xa0;
		if (c == 0xed)
			hi = 0x9f;
	} else if (c >= 0xf0 && c <= 0xf4) {
		n = 4;
		if (c == 0xf0)
			lo = 0x90;
		if (c == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (e - s < n || s[1] < lo || s[1] > hi)
		return 0;
	for (i = 2; i < n; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return n;
}

/*
 * At '"': checks the string and moves past it; *s, *n give the raw
 * contents; *esc says whether it holds escapes.
 */
static int
scanstr(struct sme_parser *ps, const char **s, size_t *n, int *esc)
{
	const unsigned char *q = (const unsigned char *)ps->p + 1;
	const unsigned char *e = (const unsigned char *)ps->e, *bs;
	unsigned u, u2;
	int k;

	*esc = 0;
	for (;;) {
		while (q < e && *q >= 0x20 && *q < 0x80 && *q != '"' && *q != '\\')
			q++;
		if (q >= e)
			return fail(ps, "invalid JSON: unterminated string at column %ld",
			    col(ps, ps->p));
		if (*q == '"')
			break;
		if (*q == '\\') {
			bs = q;
			*esc = 1;
			if (q + 1 >= e)
				return fail(ps, "invalid JSON: unterminated string at column %ld",
				    col(ps, ps->p));
			switch (q[1]) {
			case '"': case '\\': case '/': case 'b': case 'f':
			case 'n': case 'r': case 't':
				q += 2;
				continue;
			case 'u':
				if (e - q < 6 || hex4((const char *)q + 2, &u))
					break;
				q += 6;
				if (u >= 0xdc00 && u <= 0xdfff)
					break;
				if (u >= 0xd800 && u <= 0xdbff) {
					if (e - q < 6 || q[0] != '\\' || q[1] != 'u' ||
					    hex4((const char *)q + 2, &u2) ||
					    u2 < 0xdc00 || u2 > 0xdfff)
						break;
					q += 6;
				}
				continue;
			}
			return fail(ps, "invalid JSON: bad escape in string at column %ld",
			    col(ps, (const char *)bs));
		}
		if (*q < 0x20)
			return fail(ps, "invalid JSON: control character in string at column %ld",
			    col(ps, (const char *)q));
		k = utf8len(q, e);
		if (!k)
			return fail(ps, "invalid UTF-8 at column %ld",
			    col(ps, (const char *)q));
		q += k;
	}
	*s = ps->p + 1;
	*n = (size_t)((const char *)q - *s);
	ps->p = (const char *)q + 1;
	return 0;
}

/* decodes a checked string into out; returns the length */
static size_t
decode(const char *s, size_t n, char *out)
{
	const char *e = s + n;
	char *o = out;
	unsigned u, u2;

	while (s < e) {
		if (*s != '\\') {
			*o++ = *s++;
			continue;
		}
		switch (s[1]) {
		case 'b': *o++ = '\b'; break;
		case 'f': *o++ = '\f'; break;
		case 'n': *o++ = '\n'; break;
		case 'r': *o++ = '\r'; break;
		case 't': *o++ = '\t'; break;
		case 'u':
			hex4(s + 2, &u);
			if (u >= 0xd800 && u <= 0xdbff) {
				hex4(s + 8, &u2);
				u = 0x10000 + ((u - 0xd800) << 10) + (u2 - 0xdc00);
				s += 6;
			}
			if (u < 0x80) {
				*o++ = (char)u;
			} else if (u < 0x800) {
				*o++ = (char)(0xc0 | u >> 6);
				*o++ = (char)(0x80 | (u & 0x3f));
			} else if (u < 0x10000) {
				*o++ = (char)(0xe0 | u >> 12);
				*o++ = (char)(0x80 | (u >> 6 & 0x3f));
				*o++ = (char)(0x80 | (u & 0x3f));
			} else {
				*o++ = (char)(0xf0 | u >> 18);
				*o++ = (char)(0x80 | (u >> 12 & 0x3f));
				*o++ = (char)(0x80 | (u >> 6 & 0x3f));
				*o++ = (char)(0x80 | (u & 0x3f));
			}
			s += 6;
			continue;
		default: *o++ = s[1]; break;
		}
		s += 2;
	}
	return (size_t)(o - out);
}

/* a JSON number at p: its end, or NULL */
static const char *
scannum(const char *p, const char *e)
{
	if (p < e && *p == '-')
		p++;
	if (p >= e || *p < '0' || *p > '9')
		return NULL;
	if (*p == '0')
		p++;
	else
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	if (p < e && *p == '.') {
		if (++p >= e || *p < '0' || *p > '9')
			return NULL;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	if (p < e && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < e && (*p == '+' || *p == '-'))
			p++;
		if (p >= e || *p < '0' || *p > '9')
			return NULL;
		while (p < e && *p >= '0' && *p <= '9')
			p++;
	}
	return p;
}

static int
literal(struct sme_parser *ps, const char *word, size_t n)
{
	if ((size_t)(ps->e - ps->p) < n || memcmp(ps->p, word, n))
		return fail(ps, "invalid JSON at column %ld", col(ps, ps->p));
	ps->p += n;
	return 0;
}

/* checks any JSON value and moves past it */
static int
skipvalue(struct sme_parser *ps, int depth)
{
	const char *s;
	size_t n;
	int esc, first;
	char close;

	if (ps->p >= ps->e)
		return fail(ps, "invalid JSON: unexpected end of line");
	switch (*ps->p) {
	case '"':
		return scanstr(ps, &s, &n, &esc);
	case 't':
		return literal(ps, "true", 4);
	case 'f':
		return literal(ps, "false", 5);
	case 'n':
		return literal(ps, "null", 4);
	case '{':
	case '[':
		if (depth >= MAXDEPTH)
			return fail(ps, "invalid JSON: nested deeper than %d at column %ld",
			    MAXDEPTH, col(ps, ps->p));
		close = *ps->p == '{' ? '}' : ']';
		ps->p++;
		for (first = 1;; first = 0) {
			ws(ps);
			if (ps->p < ps->e && *ps->p == close && first) {
				ps->p++;
				return 0;
			}
			if (close == '}') {
				if (ps->p >= ps->e || *ps->p != '"')
					return fail(ps, "invalid JSON: expected a member name at column %ld",
					    col(ps, ps->p));
				if (scanstr(ps, &s, &n, &esc))
					return -1;
				ws(ps);
				if (ps->p >= ps->e || *ps->p != ':')
					return fail(ps, "invalid JSON: expected ':' at column %ld",
					    col(ps, ps->p));
				ps->p++;
				ws(ps);
			}
			if (skipvalue(ps, depth + 1))
				return -1;
			ws(ps);
			if (ps->p < ps->e && *ps->p == ',') {
				ps->p++;
				continue;
			}
			if (ps->p < ps->e && *ps->p == close) {
				ps->p++;
				return 0;
			}
			return fail(ps, "invalid JSON: expected ',' or '%c' at column %ld",
			    close, col(ps, ps->p));
		}
	default:
		s = scannum(ps->p, ps->e);
		if (!s)
			return fail(ps, "invalid JSON at column %ld", col(ps, ps->p));
		ps->p = s;
		return 0;
	}
}

/* a string member's value, decoded into scratch; 1 when it was null */
static int
getstr(struct sme_parser *ps, int f, struct sme_str *out)
{
	const char *s;
	size_t n;
	int esc;

	if (ps->p < ps->e && *ps->p == 'n') {
		if (literal(ps, "null", 4))
			return -1;
		out->p = NULL;
		out->n = 0;
		return 1;
	}
	if (ps->p >= ps->e || *ps->p != '"') {
		if (f == F_METER && (s = scannum(ps->p, ps->e)) != NULL) {
			n = (size_t)(s - ps->p);
			if (memchr(ps->p, '.', n) || memchr(ps->p, 'e', n) ||
			    memchr(ps->p, 'E', n))
				return fail(ps, "meter %.*s is not an integer; give it as a string",
				    (int)(n > 40 ? 40 : n), ps->p);
			memcpy(ps->str, ps->p, n);
			ps->p = s;
			goto done;
		}
		if (skipvalue(ps, 0))
			return -1;
		return fail(ps, "%s is not a string", fields[f].name);
	}
	if (scanstr(ps, &s, &n, &esc))
		return -1;
	if (esc) {
		n = decode(s, n, ps->str);
		/* a NUL would cut the field short in C and reach files raw */
		if (memchr(ps->str, '\0', n))
			return fail(ps, "%s holds a NUL character (\\u0000)", fields[f].name);
	} else {
		memcpy(ps->str, s, n);
	}
done:
	out->p = ps->str;
	out->n = n;
	ps->str[n] = '\0';
	ps->str += n + 1;
	return 0;
}

static int
gettime(struct sme_parser *ps, int f, int64_t *t)
{
	struct sme_str s;
	int rc = getstr(ps, f, &s);

	if (rc)
		return rc < 0 ? -1 : fail(ps, "%s is null", fields[f].name);
	switch (sme_time_parse(t, s.p, s.n)) {
	case 0:
		return 0;
	case SME_TIME_LEAP:
		return fail(ps, "bad %s \"%s\": a leap second (:60) cannot be used",
		    fields[f].name, sme_shown_cut(s.p));
	case SME_TIME_RANGE:
		return fail(ps, "bad %s \"%s\": the year must be from %d to %d, "
		    "as written and in UTC",
		    fields[f].name, sme_shown_cut(s.p), SME_TIME_YMIN, SME_TIME_YMAX);
	case SME_TIME_FINE:
		return fail(ps, "bad %s \"%s\": finer than a nanosecond (9 fraction digits)",
		    fields[f].name, sme_shown_cut(s.p));
	default:
		return fail(ps, "bad %s \"%s\": not an RFC 3339 time", fields[f].name,
		    sme_shown_cut(s.p));
	}
}

static int
getvalue(struct sme_parser *ps, struct sme_record *r)
{
	const char *s = ps->p, *end;
	struct sme_str str;
	int rc;

	if (s < ps->e && *s == 'n') {
		if (literal(ps, "null", 4))
			return -1;
		return 0;
	}
	if (s < ps->e && *s == '"') {
		if (getstr(ps, F_VALUE, &str))
			return -1;
		return fail(ps, "value \"%s\" is a string, not a number", sme_shown_cut(str.p));
	}
	end = scannum(s, ps->e);
	if (!end) {
		end = s;
		while (end < ps->e && *end != ',' && *end != '}' && *end != ' ' &&
		    end - s < 40)
			end++;
		return fail(ps, "value %s is not a number", sme_shown_n(s, (size_t)(end - s), 0));
	}
	rc = sme_dec_parse(&r->value, s, (size_t)(end - s));
	if (rc == SME_DEC_RANGE)
		return fail(ps, "value %.*s cannot be represented exactly: "
		    "more than %d significant digits",
		    (int)(end - s > 60 ? 60 : end - s), s, SME_DEC_DIGITS);
	if (rc == SME_DEC_BIG)
		return fail(ps, "value %.*s is too large: the magnitude must be below 10^%d",
		    (int)(end - s > 60 ? 60 : end - s), s, SME_DEC_DIGITS);
	if (rc == SME_DEC_FINE)
		return fail(ps, "value %.*s cannot be represented exactly: "
		    "more than %d decimal places",
		    (int)(end - s > 60 ? 60 : end - s), s, SME_DEC_DIGITS);
	if (rc)
		return fail(ps, "value %.*s is not a number", (int)(end - s), s);
	ps->p = end;
	r->flags |= SME_R_VALUE;
	return 0;
}

static int
member(struct sme_parser *ps, struct sme_record *r, int f)
{
	struct sme_str s;
	const char *start, *q;
	long v;
	int rc, i;

	switch (f) {
	case F_METER:
		if ((rc = getstr(ps, f, &r->meter)) > 0 || (!rc && !r->meter.n))
			return fail(ps, "meter is empty");
		return rc;
	case F_DEVICE:
		return getstr(ps, f, &r->device) < 0 ? -1 : 0;
	case F_MPID:
		return getstr(ps, f, &r->mpid) < 0 ? -1 : 0;
	case F_UNIT:
		if ((rc = getstr(ps, f, &r->unit)) > 0 || (!rc && !r->unit.n))
			return fail(ps, "unit is empty");
		return rc;
	case F_OBIS:
		if ((rc = getstr(ps, f, &s)) != 0)
			return rc < 0 ? -1 : fail(ps, "obis is null");
		if (sme_obis_parse(&r->obis, s.p, s.n))
			return fail(ps, "bad obis code \"%s\"", sme_shown_cut(s.p));
		return 0;
	case F_TIME:
		r->flags |= SME_R_TIME;
		return gettime(ps, f, &r->time);
	case F_START:
		return gettime(ps, f, &r->start);
	case F_END:
		return gettime(ps, f, &r->end);
	case F_VALUE:
		return getvalue(ps, r);
	case F_QUALITY:
		if ((rc = getstr(ps, f, &s)) != 0)
			return rc < 0 ? -1 : 0;
		for (i = 0; i < 4; i++)
			if (!strcmp(s.p, sme_quality_names[i])) {
				r->quality = i;
				r->flags |= SME_R_QUALITY;
				return 0;
			}
		return fail(ps, "bad quality \"%s\" (measured, estimated, substituted or missing)",
		    sme_shown_cut(s.p));
	case F_TARIFF:
		start = ps->p;
		if (ps->p < ps->e && *ps->p == 'n')
			return literal(ps, "null", 4);
		if (skipvalue(ps, 0))
			return -1;
		for (v = 0, q = start; q < ps->p && *q >= '0' && *q <= '9' && v < 1000000; q++)
			v = v * 10 + (*q - '0');
		if (q != ps->p || v > 255)
			return fail(ps, "tariff %s is not a tariff number (0 to 255)",
			    sme_shown_n(start, (size_t)(ps->p - start), 40));
		r->tariff = v;
		r->flags |= SME_R_TARIFF;
		return 0;
	}
	return 0;
}

static int
lookup(const char *s, size_t n)
{
	int i;

	for (i = 0; i < NFIELD; i++)
		if (fields[i].len == n && !memcmp(fields[i].name, s, n))
			return i;
	return -1;
}

int
sme_record_parse(struct sme_parser *ps, struct sme_record *r,
    const char *line, size_t len, char *err, size_t errlen)
{
	const char *key, *kstart;
	size_t klen, need = 2 * len + 64;
	unsigned seen = 0;
	int esc, f;
	char kbuf[64];	/* an escaped key longer than this decodes to more than 7 bytes */

	if (ps->cap < need) {
		free(ps->scratch);
		ps->cap = need + need / 2;
		ps->scratch = emalloc(ps->cap);
	}
	ps->str = ps->scratch;
	ps->extra = ps->scratch + len + 32;
	ps->nextra = 0;
	ps->line = ps->p = line;
	ps->e = line + len;
	ps->err = err;
	ps->errlen = errlen;
	err[0] = '\0';
	memset(r, 0, offsetof(struct sme_record, extra));
	r->extra.p = NULL;
	r->extra.n = 0;

	ws(ps);
	if (ps->p >= ps->e || *ps->p != '{')
		return fail(ps, "invalid JSON: a record is an object, expected '{' at column %ld",
		    col(ps, ps->p));
	ps->p++;
	ws(ps);
	if (ps->p < ps->e && *ps->p == '}') {
		ps->p++;
	} else for (;;) {
		ws(ps);
		kstart = ps->p;
		if (ps->p >= ps->e || *ps->p != '"')
			return fail(ps, "invalid JSON: expected a member name at column %ld",
			    col(ps, ps->p));
		if (scanstr(ps, &key, &klen, &esc))
			return -1;
		if (esc && klen < sizeof kbuf) {
			klen = decode(key, klen, kbuf);
			key = kbuf;
		} else if (esc)
			klen = 0;
		f = lookup(key, klen);
		ws(ps);
		if (ps->p >= ps->e || *ps->p != ':')
			return fail(ps, "invalid JSON: expected ':' at column %ld", col(ps, ps->p));
		ps->p++;
		ws(ps);
		if (f >= 0) {
			if (seen & 1u << f)
				return fail(ps, "duplicate member \"%s\"", fields[f].name);
			seen |= 1u << f;
			if (member(ps, r, f))
				return -1;
		} else {
			if (skipvalue(ps, 0))
				return -1;
			if (ps->nextra)
				ps->extra[ps->nextra++] = ',';
			memcpy(ps->extra + ps->nextra, kstart, (size_t)(ps->p - kstart));
			ps->nextra += (size_t)(ps->p - kstart);
		}
		ws(ps);
		if (ps->p < ps->e && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->e && *ps->p == '}') {
			ps->p++;
			break;
		}
		return fail(ps, "invalid JSON: expected ',' or '}' at column %ld", col(ps, ps->p));
	}
	ws(ps);
	if (ps->p != ps->e)
		return fail(ps, "invalid JSON: text after the record at column %ld", col(ps, ps->p));
	if (ps->nextra) {
		r->extra.p = ps->extra;
		r->extra.n = ps->nextra;
	}

	if (!(seen & 1u << F_METER))
		return fail(ps, "record has no meter");
	if (!(seen & 1u << F_OBIS))
		return fail(ps, "record has no obis");
	if (!(seen & 1u << F_UNIT))
		return fail(ps, "record has no unit");
	if ((seen & 1u << F_START) != (seen & 1u << F_END) >> (F_END - F_START))
		return fail(ps, "record has %s but no %s",
		    seen & 1u << F_START ? "start" : "end",
		    seen & 1u << F_START ? "end" : "start");
	if (seen & 1u << F_START) {
		if (seen & 1u << F_TIME)
			return fail(ps, "record has both time and start/end");
		if (r->end <= r->start)
			return fail(ps, "end is not after start");
		r->flags |= SME_R_INTERVAL;
	} else if (!(seen & 1u << F_TIME))
		return fail(ps, "record has no time (nor start and end)");
	if (!(r->flags & SME_R_VALUE) && r->quality != SME_Q_MISSING)
		return fail(ps, "record has no value");
	return 0;
}

/* ---- reading files ---- */

struct sme_reader {
	char **files;
	int nfiles, fi;
	int fd;
	const char *name;
	char *buf;
	size_t cap, start, end;
	int eof;
	long line, count;
	struct sme_parser *ps;
	char err[512];
};

static char *stdinlist[] = { "-" };

static void
openfile(struct sme_reader *rd)
{
	const char *f = rd->files[rd->fi];

	rd->name = sme_filename(f);
	rd->line = 0;
	rd->eof = 0;
	rd->start = rd->end = 0;
	if (!strcmp(f, "-")) {
		rd->fd = STDIN_FILENO;
	} else {
		rd->fd = open(f, O_RDONLY);
		if (rd->fd < 0)
			sme_die(SME_EX_LOCAL, "cannot open %s:", sme_shown(f));
	}
	/* as cat(1): reading what we write would grow without limit */
	if (sme_out_isinput(rd->fd))
		sme_die_at(SME_EX_USAGE, rd->name, 0, "input file is output file");
}

struct sme_reader *
sme_reader_open(char **files, int nfiles)
{
	struct sme_reader *rd = ecalloc(1, sizeof *rd);

	if (nfiles <= 0) {
		files = stdinlist;
		nfiles = 1;
	}
	rd->files = files;
	rd->nfiles = nfiles;
	rd->cap = SME_LINE_MAX + (256u << 10);
	rd->buf = emalloc(rd->cap);
	rd->ps = sme_parser_new();
	openfile(rd);
	return rd;
}

static int
blank(const char *s, size_t n)
{
	for (; n; s++, n--)
		if (*s != ' ' && *s != '\t' && *s != '\r')
			return 0;
	return 1;
}

static int
parseline(struct sme_reader *rd, struct sme_record *r, const char *s, size_t n)
{
	rd->line++;
	if (n > SME_LINE_MAX)
		sme_die_at(SME_EX_DATA, rd->name, rd->line,
		    "line longer than %u bytes", SME_LINE_MAX);
	if (rd->line == 1 && n >= 3 && !memcmp(s, "\xef\xbb\xbf", 3)) {
		s += 3;		/* a UTF-8 byte order mark, as some editors write */
		n -= 3;
	}
	if (!n || ((*s == ' ' || *s == '\t' || *s == '\r') && blank(s, n)))
		return 0;
	if (sme_record_parse(rd->ps, r, s, n, rd->err, sizeof rd->err))
		sme_die_at(SME_EX_DATA, rd->name, rd->line, "%s", rd->err);
	r->file = rd->name;
	r->line = rd->line;
	rd->count++;
	return 1;
}

int
sme_reader_next(struct sme_reader *rd, struct sme_record *r)
{
	char *nl;
	size_t n;
	ssize_t got;

	for (;;) {
		nl = memchr(rd->buf + rd->start, '\n', rd->end - rd->start);
		if (nl) {
			n = (size_t)(nl - (rd->buf + rd->start));
			rd->start += n + 1;
			if (parseline(rd, r, nl - n, n))
				return 1;
			continue;
		}
		if (rd->end - rd->start > SME_LINE_MAX)
			sme_die_at(SME_EX_DATA, rd->name, rd->line + 1,
			    "line longer than %u bytes", SME_LINE_MAX);
		if (rd->eof) {
			if (rd->start < rd->end) {
				n = rd->end - rd->start;
				rd->start = rd->end;
				if (parseline(rd, r, rd->buf + rd->end - n, n))
					return 1;
				continue;
			}
			if (rd->fd != STDIN_FILENO)
				close(rd->fd);
			if (++rd->fi >= rd->nfiles) {
				rd->fi = rd->nfiles - 1;
				return 0;
			}
			openfile(rd);
			continue;
		}
		if (rd->start > 0) {
			memmove(rd->buf, rd->buf + rd->start, rd->end - rd->start);
			rd->end -= rd->start;
			rd->start = 0;
		}
		got = read(rd->fd, rd->buf + rd->end, rd->cap - rd->end);
		if (got < 0) {
			if (errno == EINTR)
				continue;
			sme_die_at(SME_EX_LOCAL, rd->name, 0, "read error:");
		}
		if (got == 0)
			rd->eof = 1;
		rd->end += (size_t)got;
	}
}

long
sme_reader_count(const struct sme_reader *rd)
{
	return rd->count;
}

void
sme_reader_close(struct sme_reader *rd)
{
	if (!rd)
		return;
	sme_parser_free(rd->ps);
	free(rd->buf);
	free(rd);
}

/* ---- writing ---- */

static char *
putstr(char *o, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	unsigned char c;

	*o++ = '"';
	for (; n; n--) {
		c = (unsigned char)*s++;
		if (c >= 0x20 && c != '"' && c != '\\') {
			*o++ = (char)c;
			continue;
		}
		*o++ = '\\';
		switch (c) {
		case '"': *o++ = '"'; break;
		case '\\': *o++ = '\\'; break;
		case '\n': *o++ = 'n'; break;
		case '\r': *o++ = 'r'; break;
		case '\t': *o++ = 't'; break;
		case '\b': *o++ = 'b'; break;
		case '\f': *o++ = 'f'; break;
		default:
			*o++ = 'u';
			*o++ = '0';
			*o++ = '0';
			*o++ = hex[c >> 4];
			*o++ = hex[c & 15];
		}
	}
	*o++ = '"';
	return o;
}

#define NAME(o, lit) (memcpy(o, lit, sizeof lit - 1), o + sizeof lit - 1)

void
sme_record_write(const struct sme_record *r)
{
	size_t need = 256 + 6 * (r->meter.n + r->device.n + r->mpid.n + r->unit.n) +
	    r->extra.n;
	char *o = sme_out_reserve(need), *b = o;

	o = NAME(o, "{\"meter\":");
	o = putstr(o, r->meter.p, r->meter.n);
	if (r->device.p) {
		o = NAME(o, ",\"device\":");
		o = putstr(o, r->device.p, r->device.n);
	}
	if (r->mpid.p) {
		o = NAME(o, ",\"mpid\":");
		o = putstr(o, r->mpid.p, r->mpid.n);
	}
	o = NAME(o, ",\"obis\":\"");
	o += sme_obis_format(&r->obis, o);
	if (r->flags & SME_R_INTERVAL) {
		o = NAME(o, "\",\"start\":\"");
		o += sme_time_format(r->start, o);
		o = NAME(o, "\",\"end\":\"");
		o += sme_time_format(r->end, o);
	} else {
		o = NAME(o, "\",\"time\":\"");
		o += sme_time_format(r->time, o);
	}
	*o++ = '"';
	if (r->flags & SME_R_VALUE) {
		o = NAME(o, ",\"value\":");
		o += sme_dec_format(r->value, o, '.');
	}
	o = NAME(o, ",\"unit\":");
	o = putstr(o, r->unit.p, r->unit.n);
	if (r->quality != SME_Q_MEASURED || r->flags & SME_R_QUALITY) {
		o = NAME(o, ",\"quality\":\"");
		memcpy(o, sme_quality_names[r->quality], strlen(sme_quality_names[r->quality]));
		o += strlen(sme_quality_names[r->quality]);
		*o++ = '"';
	}
	if (r->flags & SME_R_TARIFF)
		o += sprintf(o, ",\"tariff\":%ld", r->tariff);
	if (r->extra.n) {
		*o++ = ',';
		memcpy(o, r->extra.p, r->extra.n);
		o += r->extra.n;
	}
	*o++ = '}';
	*o++ = '\n';
	sme_out_commit((size_t)(o - b));
}

/* ---- ordering ---- */

static int
isint(struct sme_str s, const char **digits, size_t *n)
{
	const char *p = s.p, *e = s.p + s.n;

	if (p < e && *p == '-')
		p++;
	if (p >= e)
		return 0;
	for (const char *q = p; q < e; q++)
		if (*q < '0' || *q > '9')
			return 0;
	while (p + 1 < e && *p == '0')
		p++;
	*digits = p;
	*n = (size_t)(e - p);
	return 1;
}

int
sme_meter_cmp(struct sme_str a, struct sme_str b)
{
	const char *da, *db;
	size_t na, nb;
	int ia = isint(a, &da, &na), ib = isint(b, &db, &nb);
	int nega, negb, c;

	if (ia != ib)
		return ia ? -1 : 1;
	if (ia) {
		nega = a.p[0] == '-' && !(na == 1 && *da == '0');
		negb = b.p[0] == '-' && !(nb == 1 && *db == '0');
		if (nega != negb)
			return nega ? -1 : 1;
		c = na != nb ? (na < nb ? -1 : 1) : memcmp(da, db, na);
		c = (c > 0) - (c < 0);
		if (c)
			return nega ? -c : c;
		/* "007" and "7" are two meters: their bytes decide */
	}
	c = memcmp(a.p, b.p, a.n < b.n ? a.n : b.n);
	if (c)
		return c < 0 ? -1 : 1;
	return (a.n > b.n) - (a.n < b.n);
}
