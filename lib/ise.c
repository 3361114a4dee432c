/* sme: innosolv IS-E rows (an inferred layout, see sme-ise(1)); licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"

static const char *const kinds[] = { "reading", "feed", "profile", "peak" };

static const struct {
	const char *name, *head;
} cols[] = {
	{ "mpid", "MesspunktID" }, { "meter", "Zaehlernummer" }, { "obis", "OBIS" },
	{ "time", "Zeitstempel" }, { "value", "Wert" }, { "unit", "Einheit" },
	{ "status", "Status" }, { "start", "Beginn" }, { "end", "Ende" },
};
enum { C_MPID, C_METER, C_OBIS, C_TIME, C_VALUE, C_UNIT, C_STATUS, C_START, C_END,
    C_N };

int
sme_ise_kind(const char *s)
{
	size_t i;

	for (i = 0; i < sizeof kinds / sizeof *kinds; i++)
		if (!strcmp(s, kinds[i]))
			return (int)i;
	return -1;
}

int
sme_ise_columns(struct sme_ise_opt *o, const char *s, char **bad)
{
	const char *p = s, *q;
	size_t i, n;

	o->ncols = 0;
	for (;;) {
		while (*p == ' ' || *p == ';' || *p == ',')
			p++;
		if (!*p)
			break;
		for (q = p; *q && *q != ';' && *q != ',' && *q != ' '; q++)
			;
		n = (size_t)(q - p);
		for (i = 0; i < C_N; i++)
			if (strlen(cols[i].name) == n && !memcmp(cols[i].name, p, n))
				break;
		if (i == C_N || o->ncols == SME_ISE_MAXCOLS) {
			*bad = estrndup(p, n);
			return -1;
		}
		o->cols[o->ncols++] = (int)i;
		p = q;
	}
	return o->ncols;
}

/* a strftime-like subset: %Y %m %d %H %M %S %z (+0100) %:z (+01:00) %% */
int
sme_ise_timefmt(const char *f)
{
	for (; *f; f++) {
		if (*f != '%')
			continue;
		f++;
		if (*f == ':')
			f++;
		if (!*f || !strchr("YmdHMSz%", *f) || (f[-1] == ':' && *f != 'z'))
			return -1;
	}
	return 0;
}

static char *
num(char *o, int v, int w)
{
	char b[16];
	int i = 0;

	do {
		b[i++] = (char)('0' + v % 10);
		v /= 10;
	} while (v || i < w);
	while (i)
		*o++ = b[--i];
	return o;
}

/*
 * sme_zone_local(), looked up once per UTC hour: when the offsets at its
 * start and at the next hour's are equal and whole hours (no zone changes
 * twice within an hour), the hour's local time differs only in minutes
 * and seconds.
 */
static int
local(int64_t sec, struct tm *tm)
{
	static int64_t hour = INT64_MIN;
	static struct tm htm;
	static int hoff;
	int64_t h = sec >= 0 ? sec / 3600 : -((-sec + 3599) / 3600);
	struct tm next;

	if (h != hour) {
		hoff = sme_zone_local(h * 3600, &htm);
		hour = hoff % 3600 == 0 && sme_zone_local(h * 3600 + 3600, &next) == hoff ?
		    h : INT64_MIN;
		if (hour == INT64_MIN)
			return sme_zone_local(sec, tm);
	}
	*tm = htm;
	tm->tm_min = (int)((sec - h * 3600) / 60);
	tm->tm_sec = (int)((sec - h * 3600) % 60);
	return hoff;
}

static char *
stamp(char *o, const char *f, int64_t ns)
{
	static int64_t last = INT64_MIN;
	static const char *lastf;
	static char cache[4 * SME_ISE_TIMEMAX + 8];
	static size_t nc;
	struct tm tm;
	int64_t sec = ns / SME_NS - (ns % SME_NS < 0);
	int a, off;
	char *p = o;
	const char *f0 = f;

	/* rows come in time order: the same stamp again is a copy */
	if (sec == last && f0 == lastf) {
		memcpy(o, cache, nc);
		return o + nc;
	}
	off = local(sec, &tm);
	for (; *f; f++) {
		if (*f != '%') {
			*o++ = *f;
			continue;
		}
		switch (*++f) {
		case 'Y': o = num(o, tm.tm_year + 1900, 4); break;
		case 'm': o = num(o, tm.tm_mon + 1, 2); break;
		case 'd': o = num(o, tm.tm_mday, 2); break;
		case 'H': o = num(o, tm.tm_hour, 2); break;
		case 'M': o = num(o, tm.tm_min, 2); break;
		case 'S': o = num(o, tm.tm_sec, 2); break;
		case '%': *o++ = '%'; break;
		case ':':
		case 'z':
			a = off < 0 ? -off : off;
			*o++ = off < 0 ? '-' : '+';
			o = num(o, a / 3600, 2);
			if (*f == ':') {
				*o++ = ':';
				f++;
			}
			o = num(o, a / 60 % 60, 2);
			break;
		}
	}
	nc = (size_t)(o - p);
	if (nc <= sizeof cache) {
		memcpy(cache, p, nc);
		last = sec;
		lastf = f0;
	}
	return o;
}

/* a stamp, quoted when the format holds the delimiter */
static char *
when(const struct sme_ise_opt *o, char *p, int64_t t, int quote)
{
	char b[4 * SME_ISE_TIMEMAX + 8];

	if (!quote)
		return stamp(p, o->timefmt, t);
	return sme_csv_field(p, b, (size_t)(stamp(b, o->timefmt, t) - b), o->delim);
}

void
sme_ise_header(const struct sme_ise_opt *o)
{
	char *b = sme_out_reserve(SME_ISE_MAXCOLS * 16 + 2), *p = b;
	int i;

	for (i = 0; i < o->ncols; i++) {
		if (i)
			*p++ = o->delim;
		p = stpcpy(p, cols[o->cols[i]].head);
	}
	*p++ = '\n';
	sme_out_commit((size_t)(p - b));
}

/* the code this row carries, or a message why not */
static void
code(const struct sme_ise_opt *o, const struct sme_record *r, struct sme_obis *ob)
{
	char c[SME_OBIS_MAX];
	int d;

	*ob = r->obis;
	/* the code as text, for messages only */
#define C() (sme_obis_format(&r->obis, c), c)
	if (r->flags & SME_R_TARIFF) {
		if (o->kind == SME_ISE_PROFILE)
			sme_die_at(SME_EX_DATA, r->file, r->line,
			    "a virtual-tariff record in a load profile: use -k reading, feed or peak");
		if (r->tariff < 0 || r->tariff > 255)
			sme_die_at(SME_EX_DATA, r->file, r->line, "virtual tariff %ld: 0 to 255", r->tariff);
		d = o->kind == SME_ISE_READING ? 8 : o->kind == SME_ISE_FEED ? 9 : 6;
		*ob = (struct sme_obis){ { 1, 5, 1, (uint8_t)d, (uint8_t)r->tariff, 255 },
		    SME_OBIS_FULL };
		return;
	}
	d = r->obis.g[SME_OBIS_D];
	if (o->kind == SME_ISE_PEAK) {
		if (r->obis.g[0] != 1 || d != 6 || r->obis.g[5] != 255)
			sme_die_at(SME_EX_DATA, r->file, r->line,
			    "%s: a peak export carries maximum demand (C.6.E) and virtual tariffs", C());
		ob->g[1] = ob->g[1] == 0 ? 1 : ob->g[1];
		return;
	}
	if (sme_obis_map(ob, SME_DIALECT_ISE))
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "%s: IS-E cannot carry this code (see sme-obis -l -t ise)", C());
	d = ob->g[SME_OBIS_D];
	if (o->kind == SME_ISE_READING ? d != 8 && d != 0 :
	    o->kind == SME_ISE_FEED ? d != 9 : d != 29)
		sme_die_at(SME_EX_DATA, r->file, r->line, "%s is no code for -k %s (%s)", C(),
		    kinds[o->kind], o->kind == SME_ISE_READING ? "registers C.8.E, media C.0.0" :
		    o->kind == SME_ISE_FEED ? "feeds C.9.E: sme-obis -f" :
		    "load profiles C.29.E: sme-obis -p");
}

/* one row; returns 0, or 1 when -b leaves it out */
int
sme_ise_write(const struct sme_ise_opt *o, const struct sme_record *r)
{
	static struct sme_obis lastob;	/* mask 0: no code yet */
	static char lastc[SME_OBIS_MAX];
	char tb[SME_TIME_MAX], te[SME_TIME_MAX], c[SME_OBIS_MAX], *b, *p;
	struct sme_obis ob;
	int64_t t, step = 0, end = 0;
	int i, quote = strchr(o->timefmt, o->delim) != NULL;

	if (o->kind == SME_ISE_READING || o->kind == SME_ISE_PEAK) {
		if (!(r->flags & SME_R_TIME))
			sme_die_at(SME_EX_DATA, r->file, r->line,
			    "an interval, not a register reading: -k %s takes readings",
			    kinds[o->kind]);
	} else if (!(r->flags & SME_R_INTERVAL)) {
		sme_die_at(SME_EX_DATA, r->file, r->line,
		    "a register reading, not an interval: -k %s takes intervals (sme-obis %s)",
		    kinds[o->kind], o->kind == SME_ISE_FEED ? "-f" : "-p");
	}
	code(o, r, &ob);
	if (o->basic && strcmp(r->unit.p, "kWh"))
		return 1;
	if (o->kind == SME_ISE_PROFILE) {
		if ((r->quality == SME_Q_MISSING ? (r->end - r->start) % (900 * SME_NS) :
		    r->end - r->start != 900 * SME_NS) && sme_time_format(r->start, tb) &&
		    sme_time_format(r->end, te))
			sme_die_at(SME_EX_DATA, r->file, r->line,
			    "interval %s to %s is not %s15 minutes", tb, te,
			    r->quality == SME_Q_MISSING ? "a multiple of " : "");
		/* a gap: one row per quarter-hour, without a value */
		if (r->quality == SME_Q_MISSING)
			step = 900 * SME_NS;
	}
	/* rows of one code come together: its text once */
	if (memcmp(&ob, &lastob, sizeof ob)) {
		sme_obis_format_short(&ob, lastc);
		lastob = ob;
	}
	memcpy(c, lastc, sizeof c);
	t = r->flags & SME_R_TIME ? r->time : step ? r->start : r->end;
	end = step ? r->end : t;
	do {
		if (step)
			t += step;
		b = p = sme_out_reserve(2 * (r->meter.n + r->mpid.n + r->unit.n) +
		    (size_t)o->ncols * (8 * SME_ISE_TIMEMAX + SME_DEC_MAX + SME_OBIS_MAX + 8));
		for (i = 0; i < o->ncols; i++) {
			if (i)
				*p++ = o->delim;
			switch (o->cols[i]) {
			case C_MPID:
				if (r->mpid.p)
					p = sme_csv_field(p, r->mpid.p, r->mpid.n, o->delim);
				break;
			case C_METER:
				p = sme_csv_field(p, r->meter.p, r->meter.n, o->delim);
				break;
			case C_OBIS:
				p = stpcpy(p, c);
				break;
			case C_TIME:
			case C_END:
				p = when(o, p, t, quote);
				break;
			case C_START:
				p = when(o, p, r->flags & SME_R_TIME ? r->time :
				    step ? t - step : r->start, quote);
				break;
			case C_VALUE:
				if (r->flags & SME_R_VALUE && r->quality != SME_Q_MISSING)
					p += sme_dec_format(r->value, p, '.');
				break;
			case C_UNIT:
				p = sme_csv_field(p, r->unit.p, r->unit.n, o->delim);
				break;
			case C_STATUS:
				p = stpcpy(p, sme_quality_names[r->quality]);
				break;
			}
		}
		*p++ = '\n';
		sme_out_commit((size_t)(p - b));
	} while (t < end);
	return 0;
}
