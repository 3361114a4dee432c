/* sme: MSCONS 2.2e / 2.4a load-profile interchanges from interval records; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"

#define MAXLIN 9999		/* SG10 per LIN */
#define QH 900			/* seconds in a quarter-hour */

struct iv {
	int64_t start, end;	/* seconds */
	struct sme_dec v;
	uint32_t meter;		/* id in m->meters */
	uint8_t q;
};

struct chan {
	struct sme_obis obis;
	struct iv *v;
	size_t n, cap;
	int64_t lastend, laststart;
	const char *lastfile;
	long lastline;
};

struct code {			/* the unit a code came in first */
	struct sme_obis obis;
	char *unit;
	const char *file;
	long line;
};

struct sme_mscons {
	struct sme_mscons_opt o;
	const char *ver;
	struct sme_intern seen;	/* metering points done */
	struct sme_intern meters;	/* of the current one */
	uint32_t lastmeter;
	char *mpid;
	size_t mpidn;
	struct chan *ch;
	size_t nch;
	struct code *codes;
	size_t ncodes, lastcode;
	uint64_t h, hm;		/* content hashes: interchange, message */
	long nmsg, nmissing, nleft;
	off_t dateoff, refoff;
	int64_t maxend;
	char ref[32];
	char zzz[8];		/* "?+00": 2.4a is UTC */
};

static uint64_t
mix(uint64_t h, uint64_t x)
{
	h = (h ^ x) * 0x9E3779B97F4A7C15ULL;
	return h ^ (h >> 31);
}

/* bytes little-endian first, so that every machine derives the same references */
static uint64_t
mixs(uint64_t h, const char *s, size_t n)
{
	uint64_t x;
	size_t i;

	for (; n >= 8; s += 8, n -= 8) {
		for (x = 0, i = 8; i > 0; i--)
			x = x << 8 | (unsigned char)s[i - 1];
		h = mix(h, x);
	}
	for (x = 0, i = n; i > 0; i--)
		x = x << 8 | (unsigned char)s[i - 1];
	return mix(h, x ^ (uint64_t)n << 56);
}

/* 13 base-36 digits, upper case, after prefix: 14 characters */
static void
base36(char *o, char prefix, uint64_t h)
{
	int i;

	o[0] = prefix;
	for (i = 13; i >= 1; i--) {
		o[i] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"[h % 36];
		h /= 36;
	}
	o[14] = '\0';
}

static char *
put(char *o, const char *s)
{
	size_t n = strlen(s);

	memcpy(o, s, n);
	return o + n;
}

static char *
esc(char *o, const char *s)
{
	return o + sme_edi_escape(o, s, strlen(s));
}

static void
emit(struct sme_mscons *m, const char *b, size_t n)
{
	memcpy(sme_out_reserve(n), b, n);
	sme_out_commit(n);
	(void)m;
}

static char *
two(char *o, int v)
{
	*o++ = (char)('0' + v / 10 % 10);
	*o++ = (char)('0' + v % 10);
	return o;
}

/* the UTC hour whose offset is the same all through it (wall), or INT64_MIN */
static int64_t hour = INT64_MIN;

/* CCYYMMDDHHMM in the zone (UTC for 2.4a); the offset in *off */
static char *
wall(char *o, int64_t sec, int *off)
{
	/* the offset of the last UTC hour, the date of the last local day */
	static int64_t day = INT64_MIN, nexth = INT64_MIN;
	static int hoff, nextoff;
	static char ymd[8];
	int64_t h = sec >= 0 ? sec / 3600 : -((-sec + 3599) / 3600), l, d, rem;
	struct tm tm;
	int y, a;

	/*
	 * The offsets at the start of this hour and of the next: equal, the
	 * hour has one offset (no zone changes twice within an hour), and
	 * the next hour's start is known already when it comes.
	 */
	if (h != hour) {
		hoff = h == nexth ? nextoff : sme_zone_local(h * 3600, &tm);
		a = sme_zone_local(h * 3600 + 3600, &tm);
		nexth = h + 1;
		nextoff = a;
		hour = a == hoff ? h : INT64_MIN;
		if (a != hoff)
			hoff = sme_zone_local(sec, &tm);
	}
	*off = hoff;
	l = sec + hoff;
	d = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
	rem = l - d * 86400;
	if (d != day) {
		sme_zone_local(sec, &tm);
		y = tm.tm_year + 1900;
		two(ymd, y / 100);
		two(ymd + 2, y % 100);
		two(ymd + 4, tm.tm_mon + 1);
		two(ymd + 6, tm.tm_mday);
		day = d;
	}
	memcpy(o, ymd, 8);
	o = two(o + 8, (int)(rem / 3600));
	return two(o, (int)(rem / 60 % 60));
}

/* format 303 with ZZZ escaped: "202310132200?+00" */
static char *
t303(char *o, int64_t sec)
{
	static int64_t last = INT64_MIN, phour = INT64_MIN;
	static char cache[24], pre[10], suf[4];
	static size_t nc;
	int64_t h = sec >= 0 ? sec / 3600 : -((-sec + 3599) / 3600);
	int off;
	char *p = o;

	if (sec == last) {
		memcpy(o, cache, nc);
		return o + nc;
	}
	/* the same hour, one offset all through it (whole hours): only the minutes differ */
	if (h == phour) {
		memcpy(o, pre, 10);
		o = two(o + 10, (int)((sec - h * 3600) / 60));
		memcpy(o, suf, 4);
		return o + 4;
	}
	o = wall(o, sec, &off);
	if (off % 3600)
		sme_die(SME_EX_USAGE, "-z: the zone is %d minutes off UTC: MSCONS 2.2e carries whole hours",
		    off / 60);
	*o++ = '?';
	*o++ = off < 0 ? '-' : '+';
	if (off < 0)
		off = -off;
	o = two(o, off / 3600);
	last = sec;
	nc = (size_t)(o - p);
	memcpy(cache, p, nc);
	phour = INT64_MIN;
	if (hour == h && nc == 16) {
		memcpy(pre, p, 10);
		memcpy(suf, p + 12, 4);
		phour = h;
	}
	return o;
}

struct sme_mscons *
sme_mscons_new(const struct sme_mscons_opt *o)
{
	struct sme_mscons *m = ecalloc(1, sizeof *m);
	char b[1024], *p = b;

	m->o = *o;
	m->ver = o->release == 22 ? "2.2e" : "2.4a";
	m->maxend = INT64_MIN;
	m->h = mixs(0x736d652d6d73ULL, m->ver, 4);
	m->h = mixs(m->h, o->sender, strlen(o->sender));
	m->h = mixs(m->h, o->receiver, strlen(o->receiver));
	m->h = mix(m->h, (uint64_t)o->squal << 32 | (uint64_t)o->rqual);
	m->h = mixs(m->h, o->pid, strlen(o->pid));
	m->h = mix(m->h, (uint64_t)o->missing);
	/* what changes the output changes the reference; the defaults add nothing */
	if (o->fullobis)
		m->h = mix(m->h, 0x46);
	if (strcmp(o->stsmethod, "Z92") || strcmp(o->stsreason, "Z75")) {
		m->h = mixs(m->h, o->stsmethod, strlen(o->stsmethod));
		m->h = mixs(m->h, o->stsreason, strlen(o->stsreason));
	}
	if (o->docno)
		m->h = mixs(m->h, o->docno, strlen(o->docno));

	p = put(p, "UNA:+.? 'UNB+UNOC:3+");
	p = esc(p, o->sender);
	p += sprintf(p, ":%d+", o->squal);
	p = esc(p, o->receiver);
	p += sprintf(p, ":%d+", o->rqual);
	m->dateoff = sme_out_offset() + (p - b);
	p = put(p, "000000:0000+");
	m->refoff = sme_out_offset() + (p - b);
	if (o->ref) {
		p = esc(p, o->ref);
		snprintf(m->ref, sizeof m->ref, "%s", o->ref);
	} else {
		p = put(p, "00000000000000");
	}
	p = put(p, "++TL'");
	emit(m, b, (size_t)(p - b));
	return m;
}

/* ---- checks of one record ---- */

int
sme_mscons_plain(const char *s, size_t n)
{
	for (; n; s++, n--)
		if ((unsigned char)*s < 0x20 || (unsigned char)*s > 0x7e)
			return 0;
	return 1;
}

static struct chan *
channel(struct sme_mscons *m, const struct sme_obis *ob)
{
	size_t i;

	for (i = 0; i < m->nch; i++)
		if (!sme_obis_cmp(&m->ch[i].obis, ob))
			return &m->ch[i];
	m->ch = erealloc(m->ch, (m->nch + 1) * sizeof *m->ch);
	memset(&m->ch[m->nch], 0, sizeof *m->ch);
	m->ch[m->nch].obis = *ob;
	m->ch[m->nch].lastend = INT64_MIN;
	m->ch[m->nch].laststart = INT64_MIN;
	return &m->ch[m->nch++];
}

static void
unitcheck(struct sme_mscons *m, const struct sme_record *r, const struct sme_obis *ob)
{
	struct sme_obis_info info;
	char c[SME_OBIS_MAX], w[4200];
	size_t i;

	i = m->lastcode;
	if (i < m->ncodes && !memcmp(&m->codes[i].obis, ob, sizeof *ob))
		goto found;
	for (i = 0; i < m->ncodes; i++)
		if (!sme_obis_cmp(&m->codes[i].obis, ob))
			break;
found:
	m->lastcode = i;
	if (i == m->ncodes) {
		sme_obis_describe(ob, &info);
		if (info.unit && strcmp(info.unit, r->unit.p)) {
			sme_obis_format(ob, c);
			sme_die_at(SME_EX_DATA, r->file, r->line,
			    "unit %s: MSCONS sends no unit, %s is in %s", sme_shown_cut(r->unit.p), c,
			    info.unit);
		}
		m->codes = erealloc(m->codes, (m->ncodes + 1) * sizeof *m->codes);
		m->codes[i].obis = *ob;
		m->codes[i].unit = estrndup(r->unit.p, r->unit.n);
		m->codes[i].file = r->file;
		m->codes[i].line = r->line;
		m->ncodes++;
		return;
	}
	if (strcmp(m->codes[i].unit, r->unit.p)) {
		sme_obis_format(ob, c);
		sme_die_at(SME_EX_DATA, r->file, r->line, "mixed units for %s: %s here, %s at %s",
		    c, sme_shown_cut(r->unit.p), sme_shown_cut(m->codes[i].unit),
		    sme_where(w, sizeof w, m->codes[i].file,
		    m->codes[i].line, r->file));
	}
}

static void
valuecheck(const struct sme_record *r, struct sme_dec *v)
{
	char b[SME_DEC_MAX + 1];

	*v = r->value;
	while (v->scale > 3 && v->v % 10 == 0) {
		v->v /= 10;
		v->scale--;
	}
	if (v->scale <= 3 && v->v >= 0)
		return;
	b[sme_dec_format(r->value, b, '.')] = '\0';
	if (v->scale > 3)
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "value %s has %d decimals: MSCONS allows 3", b, v->scale);
	if (sme_dec_sign(*v) < 0)
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "negative value %s: MSCONS values are 0 or more (the direction is in the code)", b);
}

static void
idcheck(const struct sme_mscons *m, const struct sme_record *r, const char *id, size_t n)
{
	size_t want = 33;

	if (n == 0)
		sme_die_at(SME_EX_DATA, r->file, r->line, "empty mpid (metering point ID)");
	if (n > 35)
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "mpid %s has %zu characters: MSCONS allows 35", sme_shown_cut(id), n);
	if (!sme_mscons_plain(id, n))
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "mpid \"%s\": only printable ASCII goes into an ID", sme_shown_cut(id));
	if (!strcmp(m->o.pid, "13025"))
		want = 11;
	else if (strncmp(id, "CH", 2) && strncmp(id, "DE", 2) && strncmp(id, "AT", 2))
		return;
	if (n != want)
		sme_warn_at(r->file, r->line, "warning: metering point ID %s has %zu characters, not %zu",
		    id, n, want);
}

/* ---- writing one message ---- */

static const char *
qualifier(const struct sme_mscons *m, int q)
{
	switch (q) {
	case SME_Q_SUBSTITUTED:
		return "67";
	case SME_Q_ESTIMATED:
		return m->o.release == 22 ? "201" : "Z18";
	case SME_Q_MISSING:
		return "20";
	}
	return "220";
}

static void
message(struct sme_mscons *m)
{
	char b[2048], *p, *s, doc[64];
	int64_t first = INT64_MAX, last = INT64_MIN;
	uint32_t meter = UINT32_MAX;
	long nseg = 0, nlin = 0;
	size_t i, j, n = 0;
	int onemeter = 1, off;

	for (i = 0; i < m->nch; i++)
		for (j = 0; j < m->ch[i].n; j++) {
			struct iv *v = &m->ch[i].v[j];

			n++;
			if (v->start < first)
				first = v->start;
			if (v->end > last)
				last = v->end;
			if (meter == UINT32_MAX)
				meter = v->meter;
			else if (meter != v->meter)
				onemeter = 0;
		}
	if (!n)
		return;
	m->nmsg++;
	if (last > m->maxend)
		m->maxend = last;
	m->hm = mix(m->hm, (uint64_t)m->nmsg);
	m->h = mix(m->h, m->hm);
	if (!m->o.docno)
		base36(doc, 'M', m->hm);
	else if (m->nmsg == 1)
		snprintf(doc, sizeof doc, "%s", m->o.docno);
	else if (snprintf(doc, sizeof doc, "%s-%ld", m->o.docno, m->nmsg) > 35)
		sme_die(SME_EX_USAGE, "-N: document number %s is longer than 35 characters",
		    sme_shown(doc));

	p = b;
	p += sprintf(p, "UNH+%ld+MSCONS:D:04B:UN:%s'BGM+%s+", m->nmsg, m->ver,
	    strcmp(m->o.pid, "13025") ? "7" : "Z48");
	p = esc(p, doc);
	p = put(p, "+9'DTM+137:");
	if (m->o.release == 22) {
		p = wall(p, last, &off);
		p = put(p, ":203'");
	} else {
		p = t303(p, last);
		p = put(p, ":303'");
	}
	p += sprintf(p, "RFF+Z13:%s'NAD+MS+", m->o.pid);
	p = esc(p, m->o.sender);
	p = put(p, m->o.squal == 14 ? "::9'NAD+MR+" : "::293'NAD+MR+");
	p = esc(p, m->o.receiver);
	p = put(p, m->o.rqual == 14 ? "::9'" : "::293'");
	p = put(p, "UNS+D'NAD+DP'LOC+172+");
	p = esc(p, m->mpid);
	p = put(p, "'DTM+163:");
	p = t303(p, first);
	p = put(p, ":303'DTM+164:");
	p = t303(p, last);
	p = put(p, ":303'");
	nseg = 11;
	if (onemeter && m->o.rffmg) {
		p = put(p, "RFF+MG:");
		p = esc(p, m->meters.v[meter].p);
		p = put(p, "'");
		nseg++;
	}
	emit(m, b, (size_t)(p - b));

	for (i = 0; i < m->nch; i++) {
		struct chan *c = &m->ch[i];
		char code[SME_OBIS_MAX];

		if (!c->n)
			continue;
		if (m->o.fullobis)
			sme_obis_format(&c->obis, code);
		else
			sme_obis_format_short(&c->obis, code);
		p = b + sprintf(b, "LIN+%ld'PIA+5+", ++nlin);
		p = esc(p, code);
		p = put(p, ":SRW'");
		emit(m, b, (size_t)(p - b));
		nseg += 2;
		for (j = 0; j < c->n; j++) {
			struct iv *v = &c->v[j];

			s = p = sme_out_reserve(256);
			p = put(p, "QTY+");
			p = put(p, qualifier(m, v->q));
			*p++ = ':';
			p += sme_dec_format(v->v, p, '.');
			p = put(p, "'DTM+163:");
			p = t303(p, v->start);
			p = put(p, ":303'DTM+164:");
			p = t303(p, v->end);
			p = put(p, ":303'");
			nseg += 3;
			if (v->q == SME_Q_SUBSTITUTED && m->o.release == 24) {
				/* both required with QTY 67 (2.4a): method, reason */
				p = put(p, "STS+Z32++");
				p = put(p, m->o.stsmethod);
				p = put(p, "'STS+Z40++");
				p = put(p, m->o.stsreason);
				p = put(p, "'");
				nseg += 2;
			}
			sme_out_commit((size_t)(p - s));
		}
	}
	p = b + sprintf(b, "UNT+%ld+%ld'", nseg + 1, m->nmsg);
	emit(m, b, (size_t)(p - b));
}

/* the message so far goes out; intervals from cut on stay for the next */
static void
flush(struct sme_mscons *m, int64_t cut)
{
	struct iv **keep = ecalloc(m->nch + 1, sizeof *keep);
	size_t *nkeep = ecalloc(m->nch + 1, sizeof *nkeep), i, j;

	for (i = 0; i < m->nch; i++) {
		struct chan *c = &m->ch[i];
		size_t k = c->n;

		while (k > 0 && c->v[k - 1].start >= cut)
			k--;
		nkeep[i] = c->n - k;
		if (nkeep[i]) {
			keep[i] = emalloc(nkeep[i] * sizeof **keep);
			memcpy(keep[i], c->v + k, nkeep[i] * sizeof **keep);
		}
		c->n = k;
	}
	message(m);
	m->hm = 0;
	for (i = 0; i < m->nch; i++) {
		struct chan *c = &m->ch[i];

		c->n = 0;
		for (j = 0; j < nkeep[i]; j++) {
			c->v[c->n++] = keep[i][j];
			m->hm = mix(m->hm, (uint64_t)keep[i][j].start);
			m->hm = mix(m->hm, (uint64_t)keep[i][j].v.v ^ (uint64_t)keep[i][j].q << 60);
		}
		free(keep[i]);
	}
	free(keep);
	free(nkeep);
}

static void
newpoint(struct sme_mscons *m, const struct sme_record *r, const char *id, size_t n)
{
	uint32_t k, was = m->seen.n;
	size_t i;

	if (m->mpid)
		flush(m, INT64_MAX);
	k = sme_intern(&m->seen, id, n);
	if (k < was)
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "metering point %s again after %s: records must be grouped by metering point",
		    sme_shown_cut(id), sme_shown_cut(m->mpid));
	free(m->mpid);
	m->mpid = estrndup(id, n);
	m->mpidn = n;
	for (i = 0; i < m->nch; i++)
		free(m->ch[i].v);
	free(m->ch);
	m->ch = NULL;
	m->nch = 0;
	sme_intern_free(&m->meters);
	memset(&m->meters, 0, sizeof m->meters);
	m->lastmeter = UINT32_MAX;
	m->hm = mixs(0, id, n);
	m->h = mixs(m->h, id, n);
	idcheck(m, r, m->mpid, n);
}

void
sme_mscons_add(struct sme_mscons *m, const struct sme_record *r)
{
	char c[SME_OBIS_MAX], t1[SME_TIME_MAX], t2[SME_TIME_MAX], w[4200];
	const char *id = m->o.mpid;
	size_t idn = id ? strlen(id) : 0;
	struct sme_obis ob = r->obis;
	struct chan *ch;
	struct iv v;
	int64_t s, e;

	if (r->flags & SME_R_TARIFF)
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "a virtual-tariff record: MSCONS cannot carry virtual tariffs, use sme-ise");
	if (!(r->flags & SME_R_INTERVAL))
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "a register reading, not an interval: make load-profile intervals with sme-obis -p");
	if (sme_obis_map(&ob, SME_DIALECT_MSCONS) && sme_obis_format(&r->obis, c))
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "%s: MSCONS cannot carry this code (load profiles: C.29.0, see sme-obis -l -t mscons)", c);
	if (!id) {
		if (!r->mpid.p)
			sme_die_at(SME_EX_DATA, r->file, r->line,
			    "record has no mpid (metering point ID): give one with -m");
		id = r->mpid.p;
		idn = r->mpid.n;
	}
	if (!m->mpid || m->mpidn != idn || memcmp(m->mpid, id, idn))
		newpoint(m, r, id, idn);
	unitcheck(m, r, &ob);
	if (r->flags & SME_R_VALUE)
		valuecheck(r, &v.v);
	else
		v.v = (struct sme_dec){ 0, 0 };
	s = r->start / SME_NS;
	e = r->end / SME_NS;
	/* for messages only: formatting is not free */
#define NAMES() (sme_obis_format(&r->obis, c), sme_time_format(r->start, t1), \
	sme_time_format(r->end, t2))
	if ((r->start % SME_NS || r->end % SME_NS ||
	    (r->quality != SME_Q_MISSING ? e - s != QH : (e - s) % QH)) && NAMES())
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "interval %s to %s is not %s15 minutes", t1, t2,
		    r->quality == SME_Q_MISSING ? "a multiple of " : "");
	if (s % QH && NAMES())
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "interval %s to %s does not start on a quarter-hour", t1, t2);
	ch = channel(m, &ob);
	/* per code: sme-obis -p writes a gap when the reading after it comes */
	if (s < ch->lastend && NAMES())
		sme_die_at(SME_EX_DATA, r->file, r->line, "%s intervals: %s %s to %s, %s %s",
		    s < ch->laststart ? "unsorted" : s == ch->laststart ? "duplicate" : "overlapping",
		    c, t1, t2, s < ch->laststart ? "after the one at" : "and the one at",
		    sme_where(w, sizeof w, ch->lastfile, ch->lastline, r->file));
	if (r->quality == SME_Q_MISSING) {
		NAMES();
		if (!m->o.missing)
			sme_die_at(SME_EX_DATA, r->file, r->line,
			    "meter %s, %s: values missing from %s to %s (-e sends them anyway)",
			    sme_shown_cut(r->meter.p), c, t1, t2);
		m->nmissing++;
		if (m->o.release == 24) {
			sme_warn_at(r->file, r->line,
			    "warning: meter %s, %s: missing %s to %s left out (2.4a has no code for it)",
			    sme_shown_cut(r->meter.p), c, t1, t2);
			m->nleft++;
		} else {
			sme_warn_at(r->file, r->line,
			    "warning: meter %s, %s: missing %s to %s sent as one value QTY+20 (not usable)",
			    sme_shown_cut(r->meter.p), c, t1, t2);
		}
	}
	ch->laststart = s;
	ch->lastend = e;
	ch->lastfile = r->file;
	ch->lastline = r->line;
	if (r->quality == SME_Q_MISSING && m->o.release == 24)
		return;
	if (ch->n == MAXLIN)
		flush(m, s);
	if (ch->n == ch->cap) {
		ch->cap = ch->cap ? 2 * ch->cap : 256;
		if (ch->cap > MAXLIN)
			ch->cap = MAXLIN;
		ch->v = erealloc(ch->v, ch->cap * sizeof *ch->v);
	}
	v.start = s;
	v.end = e;
	v.q = (uint8_t)r->quality;
	/* one meter after another: its id without a hash */
	if (m->lastmeter != UINT32_MAX && m->meters.v[m->lastmeter].n == r->meter.n &&
	    !memcmp(m->meters.v[m->lastmeter].p, r->meter.p, r->meter.n))
		v.meter = m->lastmeter;
	else if (m->o.rffmg && (r->meter.n > 35 || !sme_mscons_plain(r->meter.p, r->meter.n)))
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "meter \"%s\": RFF+MG takes up to 35 printable ASCII characters",
		    sme_shown_cut(r->meter.p));
	else
		v.meter = m->lastmeter = sme_intern(&m->meters, r->meter.p, r->meter.n);
	ch->v[ch->n++] = v;
	m->hm = mix(m->hm, (uint64_t)s);
	m->hm = mix(m->hm, (uint64_t)v.v.v ^ (uint64_t)v.q << 60 ^ (uint64_t)v.v.scale << 56);
	m->hm = mix(m->hm, (uint64_t)(ch - m->ch) << 32 ^ v.meter);
}

void
sme_mscons_finish(struct sme_mscons *m, char ref[32], char day[9])
{
	char b[64], d[16], *p;
	struct tm tm;
	size_t i;
	int off;

	if (m->mpid)
		flush(m, INT64_MAX);
	if (!m->nmsg)
		sme_die(SME_EX_DATA, "no values to send: every interval was missing");
	if (!m->o.ref) {
		base36(m->ref, 'S', m->h);
		if (sme_out_patch(m->refoff, m->ref, 14))
			sme_die(SME_EX_LOCAL, "cannot complete the interchange header");
	}
	p = wall(d, m->maxend, &off);
	*p = '\0';
	sme_zone_local(m->maxend, &tm);
	memcpy(day, d, 8);
	day[8] = '\0';
	memcpy(b, d + 2, 6);
	b[6] = ':';
	memcpy(b + 7, d + 8, 4);
	if (sme_out_patch(m->dateoff, b, 11))
		sme_die(SME_EX_LOCAL, "cannot complete the interchange header");
	p = b + sprintf(b, "UNZ+%ld+", m->nmsg);
	p = esc(p, m->ref);
	p = put(p, "'");
	emit(m, b, (size_t)(p - b));
	snprintf(ref, 32, "%s", m->ref);
	if (m->nleft)
		sme_warn("warning: %ld missing intervals were left out", m->nleft);
	for (i = 0; i < m->ncodes; i++)
		free(m->codes[i].unit);
	free(m->codes);
	for (i = 0; i < m->nch; i++)
		free(m->ch[i].v);
	free(m->ch);
	free(m->mpid);
	sme_intern_free(&m->seen);
	sme_intern_free(&m->meters);
	free(m);
}
