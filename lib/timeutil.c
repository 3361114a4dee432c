/* sme: time: RFC 3339 UTC, local time in a named zone, intervals; licence in COPYING */
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "sme.h"

/* days since 1970-01-01 of a proleptic Gregorian date (era arithmetic) */
static int64_t
days_from_civil(int64_t y, int m, int d)
{
	int64_t era, yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = y - era * 400;
	doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
civil_from_days(int64_t z, int *y, int *m, int *d)
{
	int64_t era, doe, yoe, doy, mp;

	z += 719468;
	era = (z >= 0 ? z : z - 146096) / 146097;
	doe = z - era * 146097;
	yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

static int
mdays(int y, int m)
{
	static const int n[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	if (m == 2 && y % 4 == 0 && (y % 100 != 0 || y % 400 == 0))
		return 29;
	return n[m - 1];
}

int
sme_time_digits(const char *s, int n)
{
	int v = 0;

	while (n--) {
		if (*s < '0' || *s > '9')
			return -1;
		v = v * 10 + (*s++ - '0');
	}
	return v;
}

int
sme_time_parse(int64_t *ns, const char *s, size_t n)
{
	int y, mo, d, h, mi, sec, oh, om, k, fine = 0;
	int64_t frac = 0, scale = SME_NS, t;
	size_t i = 19;

	if (n < 20 || s[4] != '-' || s[7] != '-' ||
	    (s[10] != 'T' && s[10] != 't') || s[13] != ':' || s[16] != ':')
		return -1;
	y = sme_time_digits(s, 4), mo = sme_time_digits(s + 5, 2);
	d = sme_time_digits(s + 8, 2), h = sme_time_digits(s + 11, 2);
	mi = sme_time_digits(s + 14, 2), sec = sme_time_digits(s + 17, 2);
	if (y < 0 || mo < 1 || mo > 12 || d < 1 || d > mdays(y, mo) ||
	    h < 0 || h > 23 || mi < 0 || mi > 59 || sec < 0 || sec > 60)
		return SME_TIME_SYNTAX;
	if (s[i] == '.') {
		for (i++, k = 0; i < n && s[i] >= '0' && s[i] <= '9'; i++, k++) {
			if (k < 9) {
				scale /= 10;
				frac += (s[i] - '0') * scale;
			} else if (s[i] != '0') {
				fine = 1;	/* finer than a nanosecond */
			}
		}
		if (!k)
			return SME_TIME_SYNTAX;
	}
	t = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
	if (i + 1 == n && (s[i] == 'Z' || s[i] == 'z')) {
		/* UTC */
	} else if (i + 6 == n && (s[i] == '+' || s[i] == '-') && s[i + 3] == ':') {
		oh = sme_time_digits(s + i + 1, 2);
		om = sme_time_digits(s + i + 4, 2);
		if (oh < 0 || oh > 23 || om < 0 || om > 59)
			return SME_TIME_SYNTAX;
		t += (s[i] == '+' ? -1 : 1) * (oh * 3600 + om * 60);
	} else {
		return SME_TIME_SYNTAX;
	}
	/* valid RFC 3339, but beyond what an int64 of nanoseconds holds */
	if (sec == 60)
		return SME_TIME_LEAP;
	/* as written and in UTC, so that every time written can be read back */
	if (y < SME_TIME_YMIN || y > SME_TIME_YMAX ||
	    t < days_from_civil(SME_TIME_YMIN, 1, 1) * 86400 ||
	    t >= days_from_civil(SME_TIME_YMAX + 1, 1, 1) * 86400)
		return SME_TIME_RANGE;
	if (fine)
		return SME_TIME_FINE;
	*ns = t * SME_NS + frac;
	return 0;
}

static char *
put2(char *p, int v)
{
	p[0] = (char)('0' + v / 10);
	p[1] = (char)('0' + v % 10);
	return p + 2;
}

/* "YYYY-MM-DDTHH:MM:SS[.fff]" of a wall-clock second count and fraction */
static char *
putwall(char *p, int64_t sec, int64_t frac)
{
	int64_t days = sec >= 0 ? sec / 86400 : -((-sec + 86399) / 86400);
	int64_t rem = sec - days * 86400;
	int y, m, d, k;

	civil_from_days(days, &y, &m, &d);
	p = put2(p, y / 100 % 100);
	p = put2(p, y % 100);
	*p++ = '-';
	p = put2(p, m);
	*p++ = '-';
	p = put2(p, d);
	*p++ = 'T';
	p = put2(p, (int)(rem / 3600));
	*p++ = ':';
	p = put2(p, (int)(rem / 60 % 60));
	*p++ = ':';
	p = put2(p, (int)(rem % 60));
	if (frac) {
		*p++ = '.';
		for (k = 100000000; k && frac; k /= 10) {
			*p++ = (char)('0' + frac / k);
			frac %= k;
		}
	}
	return p;
}

static void
split(int64_t ns, int64_t *sec, int64_t *frac)
{
	*sec = ns / SME_NS;
	*frac = ns % SME_NS;
	if (*frac < 0) {
		*frac += SME_NS;
		(*sec)--;
	}
}

size_t
sme_time_format(int64_t ns, char *buf)
{
	int64_t sec, frac;
	char *p;

	split(ns, &sec, &frac);
	p = putwall(buf, sec, frac);
	*p++ = 'Z';
	*p = '\0';
	return (size_t)(p - buf);
}

/* ---- zones ---- */

#define NCACHE 1024
static struct {
	int64_t hour;
	int off;
} cache[NCACHE];
static int cacheok;

/* a zone file, not zone.tab or leapseconds: it starts with "TZif" */
static int
tzif(const char *path)
{
	char magic[4];
	FILE *f = fopen(path, "rb");
	int ok;

	if (!f)
		return 0;
	ok = fread(magic, 1, 4, f) == 4 && !memcmp(magic, "TZif", 4);
	fclose(f);
	return ok;
}

const char *
sme_zone_dir(void)
{
	const char *dir = getenv("TZDIR");

	return dir && *dir ? dir : "/usr/share/zoneinfo";
}

int
sme_zone_set(const char *name)
{
	char path[4096];
	struct stat st;
	size_t i;

	if (!name || !*name || strstr(name, "..") || name[0] == '/')
		return -1;
	if (strcmp(name, "UTC") != 0) {
		snprintf(path, sizeof path, "%s/%s", sme_zone_dir(), name);
		if (stat(path, &st) < 0 || !S_ISREG(st.st_mode) || !tzif(path)) {
			/* no database at all is not an unknown zone */
			snprintf(path, sizeof path, "%s/UTC", sme_zone_dir());
			if (stat(sme_zone_dir(), &st) < 0 || !S_ISDIR(st.st_mode) ||
			    !tzif(path))
				return -2;
			return -1;
		}
	}
	if (setenv("TZ", name, 1) < 0)
		sme_die(SME_EX_LOCAL, "out of memory");
	tzset();
	for (i = 0; i < NCACHE; i++)
		cache[i].hour = INT64_MIN;
	cacheok = 1;
	return 0;
}

static int
offset_raw(int64_t sec)
{
	time_t t = (time_t)sec;
	struct tm tm;

	if (!localtime_r(&t, &tm))
		return 0;
	return (int)tm.tm_gmtoff;
}

/* seconds east of UTC at sec: cached per hour when the hour has one offset */
static int
offset(int64_t sec)
{
	int64_t h = sec >= 0 ? sec / 3600 : -((-sec + 3599) / 3600);
	size_t i = (size_t)((uint64_t)h % NCACHE);
	int a, b;

	if (!cacheok)
		sme_zone_set("Europe/Zurich");
	if (cache[i].hour == h)
		return cache[i].off;
	a = offset_raw(h * 3600);
	b = offset_raw(h * 3600 + 3599);
	if (a != b)
		return offset_raw(sec);
	cache[i].hour = h;
	cache[i].off = a;
	return a;
}

int
sme_zone_local(int64_t sec, struct tm *tm)
{
	int off = offset(sec);
	int64_t l = sec + off;
	int64_t days = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
	int64_t rem = l - days * 86400;
	int y, m, d;

	civil_from_days(days, &y, &m, &d);
	memset(tm, 0, sizeof *tm);
	tm->tm_year = y - 1900;
	tm->tm_mon = m - 1;
	tm->tm_mday = d;
	tm->tm_hour = (int)(rem / 3600);
	tm->tm_min = (int)(rem / 60 % 60);
	tm->tm_sec = (int)(rem % 60);
	tm->tm_wday = (int)((days % 7 + 11) % 7);	/* 1970-01-01 was a Thursday */
	tm->tm_gmtoff = off;
	return off;
}

size_t
sme_time_format_local(int64_t ns, char *buf)
{
	int64_t sec, frac;
	int off, a;
	char *p;

	split(ns, &sec, &frac);
	off = offset(sec);
	p = putwall(buf, sec + off, frac);
	a = off < 0 ? -off : off;
	*p++ = off < 0 ? '-' : '+';
	p = put2(p, a / 3600);
	*p++ = ':';
	p = put2(p, a / 60 % 60);
	*p = '\0';
	return (size_t)(p - buf);
}

int64_t
sme_zone_mktime(int y, int mon, int d, int h, int mi, int s)
{
	int64_t w, t, best = INT64_MAX;
	int cand[3], i, o;

	/* normalise month overflow so that callers can add months */
	while (mon > 12)
		mon -= 12, y++;
	while (mon < 1)
		mon += 12, y--;
	w = days_from_civil(y, mon, 1) * 86400 + (int64_t)(d - 1) * 86400 +
	    h * 3600 + mi * 60 + s;
	cand[0] = offset(w - 86400);
	cand[1] = offset(w);
	cand[2] = offset(w + 86400);
	for (i = 0; i < 3; i++) {
		t = w - cand[i];
		if (offset(t) == cand[i] && t < best)
			best = t;
	}
	if (best != INT64_MAX)
		return best;
	/* in a gap: the offset before it puts the time after the gap */
	o = cand[0];
	return w - o;
}

static const char *const ivnames[] = {
	"15min", "hourly", "daily", "weekly", "monthly", "quarterly",
	"half-yearly", "yearly"
};

int
sme_interval_parse(const char *name)
{
	int i;

	for (i = 0; i < 8; i++)
		if (!strcmp(name, ivnames[i]))
			return i;
	return -1;
}

const char *
sme_interval_name(int iv)
{
	return iv >= 0 && iv < 8 ? ivnames[iv] : "?";
}

int64_t
sme_interval_floor(int iv, int64_t sec)
{
	struct tm tm;
	int64_t l, step;
	int off = sme_zone_local(sec, &tm), m;

	switch (iv) {
	case SME_IV_15MIN:
	case SME_IV_HOUR:
		step = iv == SME_IV_15MIN ? 900 : 3600;
		l = sec + off;
		l -= ((l % step) + step) % step;
		return l - off;
	case SME_IV_DAY:
		break;
	case SME_IV_WEEK:
		tm.tm_mday -= (tm.tm_wday + 6) % 7;
		break;
	case SME_IV_MONTH:
		tm.tm_mday = 1;
		break;
	case SME_IV_QUARTER:
	case SME_IV_HALFYEAR:
	case SME_IV_YEAR:
		m = iv == SME_IV_QUARTER ? 3 : iv == SME_IV_HALFYEAR ? 6 : 12;
		tm.tm_mon -= tm.tm_mon % m;
		tm.tm_mday = 1;
		break;
	default:
		return sec;
	}
	return sme_zone_mktime(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday,
	    0, 0, 0);
}

int64_t
sme_interval_next(int iv, int64_t sec)
{
	int64_t f = sme_interval_floor(iv, sec);
	struct tm tm;
	int months = 0;

	switch (iv) {
	case SME_IV_15MIN:
		return f + 900;
	case SME_IV_HOUR:
		return f + 3600;
	case SME_IV_DAY:
	case SME_IV_WEEK:
		/* noon of the last day is safe from clock changes */
		sme_zone_local(f + (iv == SME_IV_DAY ? 1 : 7) * 86400 - 43200, &tm);
		return sme_zone_mktime(tm.tm_year + 1900, tm.tm_mon + 1,
		    tm.tm_mday + 1, 0, 0, 0);
	case SME_IV_MONTH:
		months = 1;
		break;
	case SME_IV_QUARTER:
		months = 3;
		break;
	case SME_IV_HALFYEAR:
		months = 6;
		break;
	case SME_IV_YEAR:
		months = 12;
		break;
	default:
		return sec;
	}
	sme_zone_local(f + 43200, &tm);
	return sme_zone_mktime(tm.tm_year + 1900, tm.tm_mon + 1 + months, 1,
	    0, 0, 0);
}

int64_t
sme_duration_parse(const char *s)
{
	char *end;
	long long v;

	if (!s || *s < '0' || *s > '9')
		return -1;
	v = strtoll(s, &end, 10);
	if (v <= 0 || v > 366LL * 86400)
		return -1;
	if (!strcmp(end, "") || !strcmp(end, "s"))
		return v;
	if (!strcmp(end, "m") || !strcmp(end, "min"))
		return v * 60;
	if (!strcmp(end, "h"))
		return v * 3600;
	if (!strcmp(end, "d"))
		return v * 86400;
	return -1;
}
