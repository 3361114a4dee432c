/* sme: MSCONS interchanges back into interval records (sme-mscons -d); licence in COPYING */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sme.h"

struct rd {
	struct sme_edi *e;
	const char *name;
	struct sme_edi_seg *s;
	char ref[64], msg[64], mpid[64], meter[64];
	int inmsg, haveobis, pend;	/* pend: a value waiting for its times */
	long segs, nmsg, nrec;
	long qseg;		/* the segment of the pending value */
	struct sme_obis obis;
	const char *unit;
	struct sme_record r;	/* the value being read (pend) */
	struct sme_record run;	/* missing values in a row, not yet out */
	int hasrun;
	long lin;		/* LIN number in the group */
	struct held { struct sme_record r; long lin, seq; } *v;	/* one LOC group */
	size_t nv, cap;
};

#define BAD(...) bad(x, __VA_ARGS__)
/* wrong control counts are the producer's bug: the values are still read */
#define WARN(...) warn(x, __VA_ARGS__)
#define MAXGROUP 1000000	/* values of one LOC group held for sorting */

struct rd;
static _Noreturn void bad(struct rd *x, const char *fmt, ...);
static void warn(struct rd *x, const char *fmt, ...);

static _Noreturn void
bad(struct rd *x, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	/* msg holds values from the file: all of it escaped (ours needs none) */
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sme_die_at(SME_EX_DATA, x->name, x->s->line, "segment %ld (%s): %s", x->s->n,
	    sme_shown(x->s->tag), sme_shown(msg));
}

static void
warn(struct rd *x, const char *fmt, ...)
{
	char msg[1024];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	sme_warn_at(x->name, x->s->line, "warning: segment %ld (%s): %s", x->s->n,
	    sme_shown(x->s->tag), sme_shown(msg));
}

/* a LOC group's values go out in time order, codes in LIN order */
static void
out(struct rd *x, struct sme_record *r)
{
	if (x->nv == MAXGROUP)
		BAD("more than %d values for one metering point in one message", MAXGROUP);
	if (x->nv == x->cap) {
		x->cap = x->cap ? 2 * x->cap : 1024;
		x->v = erealloc(x->v, x->cap * sizeof *x->v);
	}
	x->v[x->nv].r = *r;
	x->v[x->nv].lin = x->lin;
	x->v[x->nv].seq = (long)x->nv;
	x->nv++;
}

static int
heldcmp(const void *a, const void *b)
{
	const struct held *p = a, *q = b;

	if (p->r.start != q->r.start)
		return p->r.start < q->r.start ? -1 : 1;
	if (p->lin != q->lin)
		return p->lin < q->lin ? -1 : 1;
	return (p->seq > q->seq) - (p->seq < q->seq);
}

static void
group(struct rd *x)
{
	size_t i;

	if (x->nv)
		qsort(x->v, x->nv, sizeof *x->v, heldcmp);
	for (i = 0; i < x->nv; i++)
		sme_record_write(&x->v[i].r);
	x->nrec += (long)x->nv;
	x->nv = 0;
}

static void
flushrun(struct rd *x)
{
	if (x->hasrun)
		out(x, &x->run);
	x->hasrun = 0;
}

/* the value read is complete: out, or into the run of missing values */
static void
done(struct rd *x)
{
	struct sme_record *r = &x->r;
	struct sme_dec sum;

	if (!x->pend)
		return;
	x->pend = 0;
	if (r->start == INT64_MIN || r->end == INT64_MIN)
		BAD("the value of segment %ld (QTY) has no DTM+163 and DTM+164", x->qseg);
	if (r->end <= r->start)
		BAD("the value of segment %ld (QTY): its interval ends before it starts", x->qseg);
	if (r->quality == SME_Q_MISSING) {
		if (x->hasrun && x->run.end == r->start &&
		    !sme_dec_add(&sum, x->run.value, r->value)) {
			x->run.end = r->end;
			x->run.value = sum;
			return;
		}
		flushrun(x);
		x->run = *r;
		x->hasrun = 1;
		return;
	}
	flushrun(x);
	out(x, r);
}

/* "201912140000+01" (303, ZZZ hours) or "201912140000" (203, local) */
static int64_t
when(struct rd *x, const char *v, const char *fmt)
{
	int n[5], i, k = 0, off = 0;
	const char *p = v;
	int64_t t;

	static const int w[5] = { 4, 2, 2, 2, 2 };
	for (i = 0; i < 5; i++) {
		n[i] = 0;
		for (k = 0; k < w[i]; k++, p++) {
			if (*p < '0' || *p > '9')
				BAD("bad date \"%s\"", v);
			n[i] = n[i] * 10 + (*p - '0');
		}
	}
	/* a year sme's instants hold, with a day to spare for the offset */
	if (n[0] <= SME_TIME_YMIN || n[0] >= SME_TIME_YMAX)
		BAD("date \"%s\": year %d is outside %d to %d", v, n[0], SME_TIME_YMIN + 1,
		    SME_TIME_YMAX - 1);
	if (n[1] < 1 || n[1] > 12 || n[2] < 1 || n[3] > 23 || n[4] > 59 ||
	    n[2] > (n[1] == 2 ? 28 + (n[0] % 4 == 0 && (n[0] % 100 != 0 || n[0] % 400 == 0)) :
	    n[1] == 4 || n[1] == 6 || n[1] == 9 || n[1] == 11 ? 30 : 31))
		BAD("bad date \"%s\"", v);
	if (!strcmp(fmt, "303")) {
		if ((p[0] != '+' && p[0] != '-') || p[1] < '0' || p[1] > '9' ||
		    p[2] < '0' || p[2] > '9')
			BAD("date \"%s\" (format 303) has no UTC offset", v);
		off = ((p[1] - '0') * 10 + (p[2] - '0')) * 3600;
		if (p[3] >= '0' && p[3] <= '9' && p[4] >= '0' && p[4] <= '9') {
			off += ((p[3] - '0') * 10 + (p[4] - '0')) * 60;
			p += 2;
		}
		if (p[3])
			BAD("bad date \"%s\"", v);
		if (p[0] == '-')
			off = -off;
		/* the civil time as if UTC, then the offset */
		{
			char b[96];
			snprintf(b, sizeof b, "%04d-%02d-%02dT%02d:%02d:00Z", n[0], n[1], n[2], n[3], n[4]);
			if (sme_time_parse(&t, b, strlen(b)))
				BAD("bad date \"%s\"", v);
		}
		return t - (int64_t)off * SME_NS;
	}
	if (strcmp(fmt, "203") || *p)
		BAD("date format %s: only 303 and 203 are read here", fmt);
	return sme_zone_mktime(n[0], n[1], n[2], n[3], n[4], 0) * SME_NS;
}

static void
qty(struct rd *x, char point)
{
	const char *q = sme_edi_get(x->s, 1, 0), *v = sme_edi_get(x->s, 1, 1);
	struct sme_record *r = &x->r;
	struct sme_dec d;
	char b[64];
	size_t i, n = strlen(v);
	int quality;

	if (!x->haveobis)
		BAD("QTY without LIN and PIA");
	if (!strcmp(q, "220"))
		quality = SME_Q_MEASURED;
	else if (!strcmp(q, "67"))
		quality = SME_Q_SUBSTITUTED;
	else if (!strcmp(q, "201") || !strcmp(q, "Z18"))
		quality = SME_Q_ESTIMATED;
	else if (!strcmp(q, "20"))
		quality = SME_Q_MISSING;
	else
		BAD("QTY qualifier \"%s\" is no load-profile value read here "
		    "(220, 67, 201, Z18, 20)", q);
	if (n == 0 || n >= sizeof b)
		BAD("bad quantity \"%s\"", v);
	for (i = 0; i < n; i++)
		b[i] = v[i] == point ? '.' : v[i];
	if (sme_dec_parse(&d, b, n))
		BAD("bad quantity \"%s\"", v);
	memset(r, 0, sizeof *r);
	r->file = x->name;
	r->line = x->s->line;
	r->meter.p = x->meter[0] ? x->meter : x->mpid;
	r->meter.n = strlen(r->meter.p);
	r->mpid.p = x->mpid;
	r->mpid.n = strlen(x->mpid);
	r->unit.p = x->unit;
	r->unit.n = strlen(x->unit);
	r->obis = x->obis;
	r->flags = SME_R_VALUE | SME_R_INTERVAL;
	r->start = r->end = INT64_MIN;
	r->value = d;
	r->quality = quality;
	x->qseg = x->s->n;
	if (quality == SME_Q_MISSING)
		r->flags |= SME_R_QUALITY;
	x->pend = 1;
}

static void
copyid(struct rd *x, char *dst, const char *v, const char *what)
{
	if (strlen(v) > 35)
		BAD("%s \"%s\" longer than 35 characters", what, v);
	/* what sme-mscons writes; other bytes would be no JSON text (UNOC is Latin-1) */
	if (!sme_mscons_plain(v, strlen(v)))
		BAD("%s: only printable ASCII is read into an ID", what);
	strcpy(dst, v);
}

long
sme_mscons_read(FILE *f, const char *name)
{
	struct rd xx, *x = &xx;
	struct sme_obis_info info;
	const char *tag, *v;
	char point;
	int unb = 0, unz = 0;

	memset(x, 0, sizeof *x);
	x->name = name;
	x->e = sme_edi_open(f, name);
	x->s = emalloc(sizeof *x->s);
	point = '.';
	while (sme_edi_next(x->e, x->s)) {
		tag = x->s->tag;
		point = sme_edi_point(x->e);
		if (unz)
			BAD("%s after UNZ", tag);
		if (x->inmsg)
			x->segs++;
		if (!strcmp(tag, "UNB")) {
			if (unb++)
				BAD("a second UNB");
			snprintf(x->ref, sizeof x->ref, "%s", sme_edi_get(x->s, 5, 0));
			continue;
		}
		if (!unb)
			BAD("%s before UNB", tag);
		if (!strcmp(tag, "UNH")) {
			if (x->inmsg)
				BAD("UNH inside a message");
			if (strcmp(sme_edi_get(x->s, 2, 0), "MSCONS"))
				BAD("a %s message, not MSCONS", sme_edi_get(x->s, 2, 0));
			snprintf(x->msg, sizeof x->msg, "%s", sme_edi_get(x->s, 1, 0));
			x->inmsg = 1;
			x->segs = 1;
			x->nmsg++;
			x->mpid[0] = x->meter[0] = '\0';
			x->haveobis = 0;
			continue;
		}
		if (!strcmp(tag, "UNZ")) {
			if (x->inmsg)
				BAD("UNZ inside a message");
			if (atol(sme_edi_get(x->s, 1, 0)) != x->nmsg)
				WARN("UNZ counts %s messages, the interchange has %ld",
				    sme_edi_get(x->s, 1, 0), x->nmsg);
			if (strcmp(sme_edi_get(x->s, 2, 0), x->ref))
				WARN("UNZ reference %s is not the UNB's %s",
				    sme_edi_get(x->s, 2, 0), x->ref);
			unz = 1;
			continue;
		}
		if (!x->inmsg)
			BAD("%s outside a message", tag);
		if (!strcmp(tag, "QTY") || !strcmp(tag, "LIN") || !strcmp(tag, "UNT") ||
		    !strcmp(tag, "LOC"))
			done(x);
		if (strcmp(tag, "QTY") && strcmp(tag, "DTM") && strcmp(tag, "STS"))
			flushrun(x);
		if (!strcmp(tag, "UNT") || !strcmp(tag, "LOC"))
			group(x);
		if (!strcmp(tag, "UNT")) {
			if (atol(sme_edi_get(x->s, 1, 0)) != x->segs)
				WARN("UNT counts %s segments, the message has %ld",
				    sme_edi_get(x->s, 1, 0), x->segs);
			if (strcmp(sme_edi_get(x->s, 2, 0), x->msg))
				WARN("UNT reference %s is not the UNH's %s",
				    sme_edi_get(x->s, 2, 0), x->msg);
			x->inmsg = 0;
		} else if (!strcmp(tag, "LOC") && !strcmp(sme_edi_get(x->s, 1, 0), "172")) {
						copyid(x, x->mpid, sme_edi_get(x->s, 2, 0), "metering point");
			if (!x->mpid[0])
				BAD("LOC+172 without a metering point");
			x->haveobis = 0;
		} else if (!strcmp(tag, "RFF") && !strcmp(sme_edi_get(x->s, 1, 0), "MG")) {
			copyid(x, x->meter, sme_edi_get(x->s, 1, 1), "meter number");
		} else if (!strcmp(tag, "LIN")) {
						x->haveobis = 0;
		} else if (!strcmp(tag, "PIA") && !strcmp(sme_edi_get(x->s, 1, 0), "5")) {
			v = sme_edi_get(x->s, 2, 0);
			if (sme_obis_parse(&x->obis, v, strlen(v)))
				BAD("bad OBIS code \"%s\"", v);
			sme_obis_describe(&x->obis, &info);
			if (!info.unit)
				BAD("OBIS code %s has no known unit", v);
			x->unit = info.unit;
			x->haveobis = 1;
		} else if (!strcmp(tag, "QTY")) {
			qty(x, point);
		} else if (!strcmp(tag, "DTM") && x->pend) {
			const char *q = sme_edi_get(x->s, 1, 0);

			if (!strcmp(q, "163")) {
				x->r.start = when(x, sme_edi_get(x->s, 1, 1), sme_edi_get(x->s, 1, 2));
			} else if (!strcmp(q, "164")) {
				x->r.end = when(x, sme_edi_get(x->s, 1, 1), sme_edi_get(x->s, 1, 2));
			}
		}
	}
	if (!unb)
		sme_die_at(SME_EX_DATA, name, 0, "no interchange (no UNB)");
	if (x->inmsg || !unz)
		sme_die_at(SME_EX_DATA, name, 0, "the interchange ends without %s",
		    x->inmsg ? "UNT" : "UNZ");
	sme_edi_close(x->e);
	free(x->v);
	free(x->s);
	return x->nrec;
}
