/* sme: register readings to load-profile and feed values; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"

/*
 * One state per (meter, code) pair, found through an interned key (the
 * meter, a NUL, the code with B=0 and B=1 as one channel, the virtual
 * tariff when there is one), so that memory
 * grows with the number of pairs, never with the input; ids come in order
 * of first appearance, which is the order -f writes.  The strings a
 * derived record carries (meter, device, mpid, unit, unknown members) are
 * those of the later reading.  A register whose unit changes between
 * decimal prefixes of one base unit (Wh, kWh, MWh) has its earlier values
 * converted, exactly, to the later unit; any other change is refused.
 */

struct pair {
	struct sme_obis obis;		/* as first read */
	int64_t first, last;		/* times of the first and last reading */
	struct sme_dec vfirst, vlast;
	long llast;			/* the line of the last one */
	const char *flast;		/* the file of the last one */
	int qual;			/* worst quality since the first reading */
	struct sme_record *rec;		/* -f: the last reading, its strings after it */
	const char *unit;		/* of vfirst and vlast (in units); NULL: none */
	size_t unitn;
};

struct sme_profile {
	int mode;
	int64_t interval;
	int64_t slack;		/* the longest step that is no gap */
	struct sme_intern keys;	/* id: index into pairs */
	struct sme_intern units;	/* the units seen: a pair points into it */
	struct pair *pairs;
	size_t npair, cap;
	char *key;
	size_t keycap;
	long gaps, lone;
};

struct sme_profile *
sme_profile_new(int mode, int64_t interval)
{
	struct sme_profile *pf = ecalloc(1, sizeof *pf);

	pf->mode = mode;
	pf->interval = interval;
	/* a local day can have 25 hours: a day's step may be an hour longer */
	pf->slack = interval + (interval >= 86400 * SME_NS ? 3600 * SME_NS : 0);
	return pf;
}

/* the pair of r's meter and code; *meter is its NUL-terminated name */
static struct pair *
find(struct sme_profile *pf, const struct sme_record *r, int *isnew,
    const char **meter)
{
	size_t n = sme_series_key(&pf->key, &pf->keycap, r);
	uint32_t id;

	id = sme_intern(&pf->keys, pf->key, n);
	*meter = pf->keys.v[id].p;
	*isnew = id == pf->npair;	/* ids are given out in order */
	if (id >= pf->cap) {
		pf->cap = pf->cap ? 2 * pf->cap : 256;
		pf->pairs = erealloc(pf->pairs, pf->cap * sizeof *pf->pairs);
	}
	if (*isnew) {
		memset(&pf->pairs[id], 0, sizeof pf->pairs[id]);
		pf->pairs[id].obis = r->obis;
		pf->npair++;
	}
	return &pf->pairs[id];
}

static const char *
tstr(int64_t t, char *buf)
{
	sme_time_format(t, buf);
	return buf;
}

/* the code, for messages only: not formatted on the hot path */
static const char *
cstr(const struct sme_obis *o, char *buf)
{
	sme_obis_format(o, buf);
	return buf;
}

/* the derived code: D becomes 29 (profile) or 9 (feed) */
static void
derive(struct sme_obis *o, int mode, const char *file, long line)
{
	char c[SME_OBIS_MAX];
	int a = o->g[SME_OBIS_A], d = o->g[SME_OBIS_D];

	if (!(d == 8 && a == 1) && !(d == 0 && a >= 4 && a <= 9)) {
		sme_obis_format(o, c);
		sme_die_at(SME_EX_DATA, file, line,
		    "%s is not a register code (1-x:C.8.E, or D=0 for heat, cold, gas and water)", c);
	}
	o->g[SME_OBIS_D] = mode == 'f' ? 9 : 29;
}

/*
 * The power of ten of a unit's prefix and its base: kWh is 3 and "Wh".
 * -1 for a unit that is not a decimal multiple of an electrical one.
 */
static int
prefix(const char *u, size_t n, const char **base)
{
	static const char *const bases[] = { "Wh", "W", "varh", "var", "VAh", "VA" };
	static const char pfx[] = "kMG";
	const char *q;
	int e = 0;
	size_t i;

	if (n > 1 && (q = strchr(pfx, u[0])) != NULL) {
		e = 3 * (int)(q - pfx + 1);
		u++;
		n--;
	}
	for (i = 0; i < sizeof bases / sizeof bases[0]; i++)
		if (strlen(bases[i]) == n && !memcmp(bases[i], u, n)) {
			*base = bases[i];
			return e;
		}
	return -1;
}

static void
setunit(struct sme_profile *pf, struct pair *p, const struct sme_record *r)
{
	uint32_t id;

	p->unit = NULL;
	p->unitn = 0;
	if (r->unit.p) {
		id = sme_intern(&pf->units, r->unit.p, r->unit.n);
		p->unit = pf->units.v[id].p;	/* v may have moved in the call */
		p->unitn = r->unit.n;
	}
}

/* r's unit differs from the register's: its values to r's unit, or die */
static void
convert(struct sme_profile *pf, struct pair *p, const struct sme_record *r,
    const char *meter)
{
	char c[SME_OBIS_MAX], w[4200], u1[600], u2[600];
	const char *b1 = NULL, *b2 = NULL;
	int e1 = p->unit ? prefix(p->unit, strlen(p->unit), &b1) : -1;
	int e2 = r->unit.p ? prefix(r->unit.p, r->unit.n, &b2) : -1;

	snprintf(u1, sizeof u1, p->unit ? "\"%s\"" : "%s",
	    p->unit ? sme_shown_n(p->unit, strlen(p->unit), 32) : "none");
	snprintf(u2, sizeof u2, r->unit.p ? "\"%s\"" : "%s",
	    r->unit.p ? sme_shown_n(r->unit.p, r->unit.n, 32) : "none");
	if (e1 < 0 || e2 < 0 || b1 != b2)
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "unit changes from %s (%s) to %s: meter %s, %s; "
		    "one register's readings must be in one unit",
		    u1, sme_where(w, sizeof w, p->flast, p->llast, r->file), u2,
		    sme_shown_cut(meter), cstr(&r->obis, c));
	if (sme_dec_shift(&p->vfirst, e1 - e2) || sme_dec_shift(&p->vlast, e1 - e2))
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "unit changes from %s (%s) to %s: meter %s, %s; "
		    "the earlier readings cannot be converted exactly",
		    u1, sme_where(w, sizeof w, p->flast, p->llast, r->file), u2,
		    sme_shown_cut(meter), cstr(&r->obis, c));
	setunit(pf, p, r);
}

static int
worse(int a, int b)
{
	return a > b ? a : b;
}

/* a copy of the strings of r in one block, for -f */
static void
keep(struct pair *p, const struct sme_record *r)
{
	size_t n = sizeof *p->rec + r->meter.n + r->device.n + r->mpid.n +
	    r->unit.n + r->extra.n + 5;
	char *b;

	p->rec = erealloc(p->rec, n);
	*p->rec = *r;
	b = (char *)(p->rec + 1);
#define COPY(f) do { if (r->f.p) { memcpy(b, r->f.p, r->f.n); b[r->f.n] = '\0'; \
	p->rec->f.p = b; b += r->f.n + 1; } } while (0)
	COPY(meter);
	COPY(device);
	COPY(mpid);
	COPY(unit);
	COPY(extra);
#undef COPY
}

void
sme_profile_add(struct sme_profile *pf, const struct sme_record *r,
    void (*emit)(struct sme_record *, void *), void *arg)
{
	struct sme_record out;
	struct pair *p;
	char c[SME_OBIS_MAX], t1[SME_TIME_MAX], t2[SME_TIME_MAX], w[4200];
	const char *meter;
	int isnew;

	if (!(r->flags & SME_R_TIME))
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "record is an interval value; -%c needs register readings (time)",
		    pf->mode);
	if (!(r->flags & SME_R_VALUE) || r->quality == SME_Q_MISSING)
		return;		/* a missing reading: the interval around it is a gap */
	p = find(pf, r, &isnew, &meter);
	if (isnew) {
		out.obis = r->obis;
		derive(&out.obis, pf->mode, r->file, r->line);
		p->first = p->last = r->time;
		p->vfirst = p->vlast = r->value;
		p->llast = r->line;
		p->flast = r->file;
		p->qual = r->quality;
		setunit(pf, p, r);
		if (pf->mode == 'f')
			keep(p, r);
		return;
	}
	if (p->unit ? !r->unit.p || p->unitn != r->unit.n ||
	    memcmp(p->unit, r->unit.p, r->unit.n) : r->unit.p != NULL)
		convert(pf, p, r, meter);
	if (r->time == p->last)
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "duplicate reading: meter %s, %s at %s (also %s)",
		    sme_shown_cut(meter), cstr(&r->obis, c), tstr(r->time, t1),
		    sme_where(w, sizeof w, p->flast, p->llast, r->file));
	if (r->time < p->last)
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "readings out of order: meter %s, %s at %s comes after %s (%s); sort the input",
		    sme_shown_cut(meter), cstr(&r->obis, c), tstr(r->time, t1), tstr(p->last, t2),
		    sme_where(w, sizeof w, p->flast, p->llast, r->file));
	if (sme_dec_cmp(r->value, p->vlast) < 0) {
		char v1[SME_DEC_MAX + 1], v2[SME_DEC_MAX + 1];

		v1[sme_dec_format(p->vlast, v1, '.')] = '\0';
		v2[sme_dec_format(r->value, v2, '.')] = '\0';
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "register goes backwards: meter %s, %s: %s at %s (%s), %s at %s",
		    sme_shown_cut(meter), cstr(&r->obis, c), v1, tstr(p->last, t1),
		    sme_where(w, sizeof w, p->flast, p->llast, r->file), v2, tstr(r->time, t2));
	}
	if (pf->mode == 'p') {
		out = *r;
		if (sme_dec_sub(&out.value, r->value, p->vlast))
			sme_die_at(SME_EX_DATA, r->file, r->line,
			    "meter %s, %s: the difference cannot be represented exactly",
			    sme_shown_cut(meter), cstr(&r->obis, c));
		out.flags = (r->flags & ~SME_R_TIME) | SME_R_INTERVAL;
		out.start = p->last;
		out.end = r->time;
		out.quality = worse(r->quality, p->qual);
		if (r->time - p->last > pf->slack) {
			sme_warn("warning: meter %s, %s: no readings between %s and %s",
			    sme_shown_cut(meter), cstr(&r->obis, c), tstr(p->last, t1), tstr(r->time, t2));
			out.quality = SME_Q_MISSING;
			out.flags |= SME_R_QUALITY;
			pf->gaps++;
		}
		derive(&out.obis, 'p', r->file, r->line);
		emit(&out, arg);
		p->qual = r->quality;
	} else {
		/* only the difference that is output must be exact: at the end */
		/* a gap inside the span does not change the feed value */
		p->qual = worse(p->qual, r->quality);
		keep(p, r);
	}
	p->last = r->time;
	p->vlast = r->value;
	p->llast = r->line;
	p->flast = r->file;
}

long
sme_profile_finish(struct sme_profile *pf,
    void (*emit)(struct sme_record *, void *), void *arg)
{
	struct sme_record out;
	struct pair *p;
	char c[SME_OBIS_MAX], t[SME_TIME_MAX];
	size_t i;
	long incomplete;

	for (i = 0; i < pf->npair; i++) {
		p = &pf->pairs[i];
		if (p->first == p->last) {
			sme_warn("warning: meter %s, %s: only one reading (%s), no %s value",
			    sme_shown_cut(pf->keys.v[i].p), cstr(&p->obis, c), tstr(p->first, t),
			    pf->mode == 'f' ? "feed" : "interval");
			pf->lone++;
		} else if (pf->mode == 'f') {
			out = *p->rec;
			if (sme_dec_sub(&out.value, p->vlast, p->vfirst))
				sme_die_at(SME_EX_DATA, out.file, out.line,
				    "meter %s, %s: the difference cannot be represented exactly",
				    sme_shown_cut(pf->keys.v[i].p), cstr(&p->obis, c));
			out.flags = (out.flags & ~SME_R_TIME) | SME_R_INTERVAL;
			out.start = p->first;
			out.end = p->last;
			out.quality = p->qual;
			derive(&out.obis, 'f', out.file, out.line);
			emit(&out, arg);
		}
		free(p->rec);
	}
	incomplete = pf->gaps + pf->lone;
	sme_intern_free(&pf->keys);
	sme_intern_free(&pf->units);
	free(pf->pairs);
	free(pf->key);
	free(pf);
	return incomplete;
}
