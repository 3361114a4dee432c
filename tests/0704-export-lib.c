/* sme tests: sme-export's periods, file names, shell quoting and state files in libsme; licence in COPYING */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"
#include "tap.h"

static struct sme_format fmt = { .name = "f", .type = SME_FMT_MSCONS };

/* the periods of an interval from a start: "label [start, end)" each */
static const char *
periods(int iv, const char *zone, const char *start, int n)
{
	static char buf[4096];
	struct sme_job j = { .name = "j", .format = &fmt };
	struct sme_period p;
	char err[256], l[SME_LABEL_MAX], a[SME_TIME_MAX], b[SME_TIME_MAX];
	int64_t t;
	size_t len = 0;

	j.interval = iv;
	j.zone = (char *)zone;
	j.start = (char *)start;
	sme_zone_set(zone);
	if (sme_period_first(&j, &t, err, sizeof err) < 0) {
		snprintf(buf, sizeof buf, "%s", err);
		return buf;
	}
	buf[0] = '\0';
	while (n--) {
		p = sme_period_at(iv, t);
		sme_period_label(iv, p, l);
		sme_time_format(p.start * SME_NS, a);
		sme_time_format(p.end * SME_NS, b);
		len += (size_t)snprintf(buf + len, sizeof buf - len, "%s%s [%s, %s)",
		    len ? "; " : "", l, a, b);
		t = p.end;
	}
	return buf;
}

static const char *
filename(int iv, const char *zone, const char *start, int type)
{
	static char buf[256];
	struct sme_format f = { .name = "f", .type = type };
	struct sme_job j = { .name = "haus-3", .format = &f, .interval = iv };
	int64_t ns;
	char *s;

	sme_zone_set(zone);
	sme_time_parse(&ns, start, strlen(start));
	s = sme_period_filename(&j, sme_period_at(iv, ns / SME_NS));
	snprintf(buf, sizeof buf, "%s", s);
	free(s);
	return buf;
}

static const char *
shell(char *a, char *b, char *c)
{
	static char buf[256];
	char *argv[] = { a, b, c, NULL };
	char *s = sme_spawn_shell(argv);

	snprintf(buf, sizeof buf, "%s", s);
	free(s);
	return buf;
}

int
main(void)
{
	char dir[] = "/tmp/sme-state.XXXXXX", err[512];
	struct sme_state st = { 0 }, back;
	int status, fd, fd2;

	is_str(periods(SME_IV_DAY, "Europe/Zurich", "2026-10-24", 3),
	    "2026-10-24 [2026-10-23T22:00:00Z, 2026-10-24T22:00:00Z); "
	    "2026-10-25 [2026-10-24T22:00:00Z, 2026-10-25T23:00:00Z); "
	    "2026-10-26 [2026-10-25T23:00:00Z, 2026-10-26T23:00:00Z)",
	    "daily: the day the clock goes back has 25 hours");
	is_str(periods(SME_IV_DAY, "Europe/Zurich", "2026-03-29", 1),
	    "2026-03-29 [2026-03-28T23:00:00Z, 2026-03-29T22:00:00Z)",
	    "daily: the day the clock goes forward has 23 hours");
	is_str(periods(SME_IV_WEEK, "Europe/Zurich", "2026-10-19", 2),
	    "2026-10-19 [2026-10-18T22:00:00Z, 2026-10-25T23:00:00Z); "
	    "2026-10-26 [2026-10-25T23:00:00Z, 2026-11-01T23:00:00Z)",
	    "weekly: from Monday, across the clock change");
	is_str(periods(SME_IV_WEEK, "Europe/Zurich", "2026-10-20", 1),
	    "\"2026-10-20\" is not the start of a weekly period in Europe/Zurich "
	    "(that period starts 2026-10-19T00:00:00+02:00)",
	    "weekly: a Tuesday start is refused, naming the Monday");
	is_str(periods(SME_IV_MONTH, "Europe/Zurich", "2026-10-01", 3),
	    "2026-10-01 [2026-09-30T22:00:00Z, 2026-10-31T23:00:00Z); "
	    "2026-11-01 [2026-10-31T23:00:00Z, 2026-11-30T23:00:00Z); "
	    "2026-12-01 [2026-11-30T23:00:00Z, 2026-12-31T23:00:00Z)",
	    "monthly: calendar months in local time");
	is_str(periods(SME_IV_QUARTER, "Europe/Zurich", "2026-01-01", 2),
	    "2026-01-01 [2025-12-31T23:00:00Z, 2026-03-31T22:00:00Z); "
	    "2026-04-01 [2026-03-31T22:00:00Z, 2026-06-30T22:00:00Z)",
	    "quarterly");
	is_str(periods(SME_IV_HALFYEAR, "UTC", "2026-07-01", 2),
	    "2026-07-01 [2026-07-01T00:00:00Z, 2027-01-01T00:00:00Z); "
	    "2027-01-01 [2027-01-01T00:00:00Z, 2027-07-01T00:00:00Z)",
	    "half-yearly in UTC");
	is_str(periods(SME_IV_YEAR, "Europe/Zurich", "2028-01-01", 1),
	    "2028-01-01 [2027-12-31T23:00:00Z, 2028-12-31T23:00:00Z)",
	    "yearly, a leap year");
	is_str(periods(SME_IV_MONTH, "Europe/Zurich", "2026-11-02", 1),
	    "\"2026-11-02\" is not the start of a monthly period in Europe/Zurich "
	    "(that period starts 2026-11-01T00:00:00+01:00)",
	    "monthly: a start that is not the first is refused");
	is_str(periods(SME_IV_HOUR, "Europe/Zurich", "2026-10-25T00:00:00Z", 3),
	    "2026-10-25T02:00+02:00 [2026-10-25T00:00:00Z, 2026-10-25T01:00:00Z); "
	    "2026-10-25T02:00+01:00 [2026-10-25T01:00:00Z, 2026-10-25T02:00:00Z); "
	    "2026-10-25T03:00+01:00 [2026-10-25T02:00:00Z, 2026-10-25T03:00:00Z)",
	    "hourly: the hour lived twice is two periods with two labels");
	is_str(periods(SME_IV_HOUR, "Asia/Kolkata", "2026-10-25T00:30:00Z", 1),
	    "2026-10-25T06:00+05:30 [2026-10-25T00:30:00Z, 2026-10-25T01:30:00Z)",
	    "hourly: local hours of a half-hour zone");
	is_str(periods(SME_IV_HOUR, "Asia/Kolkata", "2026-10-25T00:00:00Z", 1),
	    "\"2026-10-25T00:00:00Z\" is not the start of a hourly period in "
	    "Asia/Kolkata (that period starts 2026-10-25T05:00:00+05:30)",
	    "hourly: a UTC hour is not a local hour there");
	is_str(periods(SME_IV_DAY, "Europe/Zurich", "2026-02-29", 1),
	    "\"2026-02-29\" is neither a date (2026-11-01) nor an RFC 3339 time",
	    "a day that does not exist");

	is_str(filename(SME_IV_DAY, "Europe/Zurich", "2026-10-24T22:00:00Z",
	    SME_FMT_MSCONS), "haus-3_20261025.edi", "file name: job and local day, .edi");
	is_str(filename(SME_IV_MONTH, "Europe/Zurich", "2026-10-31T23:00:00Z",
	    SME_FMT_CSV), "haus-3_20261101.csv", "file name: a month by its first day, .csv");
	is_str(filename(SME_IV_HOUR, "Europe/Zurich", "2026-10-25T01:00:00Z",
	    SME_FMT_ISE), "haus-3_20261025T0100Z.csv", "file name: an hour in UTC");

	is_str(shell("sme-fetch", "-F", "/Nord/Haus 3"), "sme-fetch -F '/Nord/Haus 3'",
	    "shell: a space is quoted");
	is_str(shell("a", "it's", ""), "a 'it'\\''s' ''", "shell: a quote and an empty word");
	is_str(shell("x", "$HOME", "`id`;*"), "x '$HOME' '`id`;*'",
	    "shell: nothing is expanded");

	if (!mkdtemp(dir))
		return 1;
	ok(sme_state_load(dir, "j", &back, err, sizeof err, &status) == 0,
	    "state: none yet");
	st.start = "2026-10-24";
	st.next = 1792965600;
	st.last_period = "2026-10-24";
	st.last_file = "j_20261024.edi";
	st.last_sha256 = "ab";
	st.last_url = "file:///x/j_20261024.edi";
	st.last_sent = 1793000000;
	st.wait_period = "2026-10-25";
	st.wait_status = "waiting";
	st.wait_why = "sme-fetch: meter 1001 lacks 2026-10-25T20:00:00Z \"x\"";
	st.wait_since = 1793000100;
	ok(sme_state_save(dir, "j", &st) == 0, "state: saved");
	ok(sme_state_load(dir, "j", &back, err, sizeof err, &status) == 1 &&
	    back.next == st.next && !strcmp(back.start, st.start) &&
	    !strcmp(back.last_file, st.last_file) && back.last_sent == st.last_sent &&
	    !strcmp(back.wait_why, st.wait_why) && back.wait_since == st.wait_since,
	    "state: read back as written");
	sme_state_free(&back);
	fd = sme_state_lock(dir, "j");
	fd2 = sme_state_lock(dir, "j");
	ok(fd >= 0 && fd2 == -1, "lock: a second lock of one job is refused");
	close(fd);
	fd2 = sme_state_lock(dir, "j");
	ok(fd2 >= 0, "lock: free again when closed");
	close(fd2);
	{
		char p[600];

		snprintf(p, sizeof p, "rm -rf %s", dir);
		if (system(p) != 0)
			return 1;
	}
	return done_testing();
}
