/* sme: EDIFACT segments: escaping for writers, a tokenizer for readers; licence in COPYING */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sme.h"

size_t
sme_edi_escape(char *o, const char *s, size_t n)
{
	char *p = o;

	/* the release character itself first: "?" is "??" */
	for (; n; s++, n--) {
		if (*s == '?' || *s == '\'' || *s == '+' || *s == ':')
			*p++ = '?';
		*p++ = *s;
	}
	return (size_t)(p - o);
}

struct sme_edi {
	FILE *f;
	const char *name;
	char comp, elem, point, rel, term;
	long line;		/* the line we are on */
	long nseg;
	int first;
	char pb[4];		/* bytes read ahead, given back */
	int npb;
};

struct sme_edi *
sme_edi_open(FILE *f, const char *name)
{
	struct sme_edi *e = ecalloc(1, sizeof *e);

	e->f = f;
	e->name = name;
	e->comp = ':';
	e->elem = '+';
	e->point = '.';
	e->rel = '?';
	e->term = '\'';
	e->line = 1;
	e->first = 1;
	return e;
}

void
sme_edi_close(struct sme_edi *e)
{
	free(e);
}

char
sme_edi_point(const struct sme_edi *e)
{
	return e->point;
}

static int
get(struct sme_edi *e)
{
	int c;

	if (e->npb)
		c = (unsigned char)e->pb[--e->npb];
	else if ((c = getc(e->f)) == EOF && ferror(e->f))
		sme_die(SME_EX_LOCAL, "cannot read %s:", sme_shown(e->name));
	if (c == '\n')
		e->line++;
	return c;
}

static void
unget(struct sme_edi *e, int c)
{
	if (c == EOF)
		return;
	if (c == '\n')
		e->line--;
	e->pb[e->npb++] = (char)c;
}

/* "UNA:+.? '": the six service characters, when the interchange has them */
static void
una(struct sme_edi *e)
{
	int c1 = get(e), c2 = get(e), c3 = get(e), c, i;
	char b[6];

	if (c1 != 'U' || c2 != 'N' || c3 != 'A') {
		if (c1 != EOF && !(c1 >= 'A' && c1 <= 'Z' && c2 >= 'A' && c2 <= 'Z' &&
		    ((c3 >= 'A' && c3 <= 'Z') || (c3 >= '0' && c3 <= '9'))))
			sme_die_at(SME_EX_DATA, e->name, e->line,
			    "not an EDIFACT interchange (no UNA or UNB at the start)");
		unget(e, c3);
		unget(e, c2);
		unget(e, c1);
		return;
	}
	for (i = 0; i < 6; i++) {
		if ((c = get(e)) == EOF)
			sme_die_at(SME_EX_DATA, e->name, e->line, "UNA: too short");
		b[i] = (char)c;
	}
	e->comp = b[0];
	e->elem = b[1];
	e->point = b[2];
	e->rel = b[3];
	e->term = b[5];
	if (e->comp == e->elem || e->comp == e->term || e->elem == e->term ||
	    e->rel == e->comp || e->rel == e->elem || e->rel == e->term)
		sme_die_at(SME_EX_DATA, e->name, e->line, "UNA: service characters are not distinct");
}

int
sme_edi_next(struct sme_edi *e, struct sme_edi_seg *s)
{
	size_t n = 0;
	int c, esc = 0, nel = 0, ncomp = 0;

	if (e->first) {
		e->first = 0;
		una(e);
	}
	/* line ends between segments are no part of them */
	do {
		c = get(e);
	} while (c == '\r' || c == '\n');
	if (c == EOF)
		return 0;
	unget(e, c);
	s->line = e->line;
	s->el[0].comp[0] = s->buf;
	for (;;) {
		c = get(e);
		if (c == EOF)
			sme_die_at(SME_EX_DATA, e->name, e->line,
			    "segment %ld: the interchange ends inside a segment", e->nseg + 1);
		if (n + 2 >= sizeof s->buf)
			sme_die_at(SME_EX_DATA, e->name, e->line,
			    "segment %ld: longer than %zu bytes", e->nseg + 1, sizeof s->buf - 2);
		/* line ends are no data: some producers wrap long lines */
		if (c == '\n' || c == '\r')
			continue;
		if (c == '\0')
			sme_die_at(SME_EX_DATA, e->name, e->line,
			    "segment %ld: a NUL byte inside a segment", e->nseg + 1);
		if (esc) {
			s->buf[n++] = (char)c;
			esc = 0;
			continue;
		}
		if (c == e->rel) {
			esc = 1;
			continue;
		}
		if (c == e->comp || c == e->elem || c == e->term) {
			s->buf[n++] = '\0';
			if (c == e->comp) {
				if (++ncomp >= SME_EDI_MAXCOMP)
					sme_die_at(SME_EX_DATA, e->name, e->line,
					    "segment %ld: too many components", e->nseg + 1);
			} else {
				s->el[nel].ncomp = ncomp + 1;
				if (c == e->term)
					break;
				if (++nel >= SME_EDI_MAXEL)
					sme_die_at(SME_EX_DATA, e->name, e->line,
					    "segment %ld: too many data elements", e->nseg + 1);
				ncomp = 0;
			}
			s->el[nel].comp[ncomp] = s->buf + n;
			continue;
		}
		s->buf[n++] = (char)c;
	}
	s->nel = nel + 1;
	s->n = ++e->nseg;
	s->tag = s->el[0].comp[0];
	if (strlen(s->tag) != 3 || s->el[0].ncomp != 1)
		sme_die_at(SME_EX_DATA, e->name, s->line, "segment %ld: bad segment tag \"%s\"",
		    s->n, sme_shown_n(s->tag, strnlen(s->tag, 8), 0));
	return 1;
}

const char *
sme_edi_get(const struct sme_edi_seg *s, int el, int comp)
{
	if (el >= s->nel || comp >= s->el[el].ncomp)
		return "";
	return s->el[el].comp[comp];
}
