/* sme: a job's export periods in its zone, when they fall due, their file names; licence in COPYING */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sme.h"

int
sme_period_first(const struct sme_job *j, int64_t *start, char *err,
    size_t errlen)
{
	const char *s = j->start;
	int64_t t, f, ns;
	int y, m, d;
	char want[SME_TIME_MAX];
	struct tm tm;

	if (strlen(s) == 10 && s[4] == '-' && s[7] == '-') {
		y = sme_time_digits(s, 4), m = sme_time_digits(s + 5, 2);
		d = sme_time_digits(s + 8, 2);
		if (y < 1970 || y > 2200 || m < 1 || m > 12 || d < 1 || d > 31)
			goto syntax;
		t = sme_zone_mktime(y, m, d, 0, 0, 0);
		sme_zone_local(t, &tm);
		if (tm.tm_mday != d)
			goto syntax;
	} else if (sme_time_parse(&ns, s, strlen(s)) == 0) {
		t = ns / SME_NS;
		if (ns % SME_NS)
			goto aligned;
	} else {
		goto syntax;
	}
	f = sme_interval_floor(j->interval, t);
	if (f != t) {
aligned:
		sme_time_format_local(sme_interval_floor(j->interval, t) * SME_NS,
		    want);
		snprintf(err, errlen, "\"%s\" is not the start of a %s period "
		    "in %s (that period starts %s)", s,
		    j->interval == SME_IV_HALFYEAR ? "halfyearly" :
		    sme_interval_name(j->interval), j->zone, want);
		return -1;
	}
	*start = t;
	return 0;
syntax:
	snprintf(err, errlen, "\"%s\" is neither a date (2026-11-01) nor an "
	    "RFC 3339 time", s);
	return -1;
}

struct sme_period
sme_period_at(int iv, int64_t start)
{
	struct sme_period p;

	p.start = start;
	p.end = sme_interval_next(iv, start);
	return p;
}

int64_t
sme_period_due(const struct sme_job *j, struct sme_period p)
{
	return j->trigger == SME_TRIG_12H ? p.end + 12 * 3600 : p.end;
}

void
sme_period_label(int iv, struct sme_period p, char *buf)
{
	char t[SME_TIME_MAX];

	sme_time_format_local(p.start * SME_NS, t);
	if (iv == SME_IV_HOUR) {
		/* "2026-10-25T02:00+01:00": the hour the clock goes back twice */
		memcpy(buf, t, 16);
		strcpy(buf + 16, t + 19);
	} else {
		memcpy(buf, t, 10);
		buf[10] = '\0';
	}
}

char *
sme_period_filename(const struct sme_job *j, struct sme_period p)
{
	static const char *const ext[] = { "edi", "csv", "csv" };
	char t[SME_TIME_MAX], stamp[32], *r;
	size_t n;

	if (j->interval == SME_IV_HOUR) {
		/* UTC, so that the twice-lived hour gets two names */
		sme_time_format(p.start * SME_NS, t);
		snprintf(stamp, sizeof stamp, "%.4s%.2s%.2sT%.2s%.2sZ", t, t + 5,
		    t + 8, t + 11, t + 14);
	} else {
		sme_time_format_local(p.start * SME_NS, t);
		snprintf(stamp, sizeof stamp, "%.4s%.2s%.2s", t, t + 5, t + 8);
	}
	n = strlen(j->name) + strlen(stamp) + 8;
	r = emalloc(n);
	snprintf(r, n, "%s_%s.%s", j->name, stamp, ext[j->format->type]);
	return r;
}
