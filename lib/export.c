/* sme: sme-export's work: each due period of a job through its pipeline, then the state; licence in COPYING */
#define _GNU_SOURCE	/* splice, pipe2 */
#include <errno.h>
#include <dirent.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "sme.h"

enum { P_SENT, P_WAITING, P_EMPTY, P_FAILED, P_STOPPED };
static const char *const pnames[] = { "sent", "waiting", "empty", "failed",
	"stopped" };

struct outcome {
	int kind;
	int status;		/* P_FAILED: the exit status it stands for */
	int missing;		/* sent with values missing (12h-after-end) */
	char why[1024];
	char *name;		/* the file's name */
	long long bytes;
	char sha256[80], url[2048];
};

static void
setstatus(struct sme_run *r, int s)
{
	if (s >= SME_EX_DATA && r->status < SME_EX_DATA)
		r->status = s;
	else if (s == SME_EX_INCOMPLETE && r->status == SME_EX_OK)
		r->status = s;
}

static char *
join(const char *a, const char *b)
{
	size_t n = strlen(a) + strlen(b) + 2;
	char *p = emalloc(n);

	snprintf(p, n, "%s/%s", a, b);
	return p;
}

/*
 * The temporary files a run reuses are read and reset through their
 * descriptors only (pread, ftruncate, lseek): the children write at the
 * shared offset, which stdio's buffering would not move back to 0.
 */
static int
reset(int fd)
{
	return ftruncate(fd, 0) < 0 || lseek(fd, 0, SEEK_SET) < 0 ? -1 : 0;
}

/*
 * Room, reserved before a period, for the children's messages and the
 * receipt: on a full TMPDIR the period fails here, saying so, and not
 * later with the reason lost and an upload reported as failed
 */
static int
reserve(int fd)
{
	if (fallocate(fd, FALLOC_FL_KEEP_SIZE, 0, 65536) == 0 ||
	    errno == EOPNOTSUPP || errno == ENOSYS)
		return 0;
	return -1;
}

/*
 * Text that children wrote, shown (their stderr; a why they left in the
 * state).  Our children escape their messages already (sme(7) Messages),
 * so a backslash stays as it is: escaping it again would show theirs
 * doubled.  Every other byte a message must not hold raw (a control, C1,
 * a bidirectional control, a byte that is not UTF-8) is escaped here as
 * sme_shown() does, for what anything else may write there (the loader, a
 * sanitizer, a wrapper, a program of that name from PATH).  Text escaped
 * once comes out the same.  o has room for 4 * n + 1 bytes.
 */
static char *
reshown(char *o, const char *s, size_t n)
{
	const char *b;
	size_t k, used = 0;

	*o = '\0';
	for (;;) {
		b = memchr(s, '\\', n);
		k = b ? (size_t)(b - s) : n;
		used += (size_t)sprintf(o + used, "%s%s", sme_shown_n(s, k, 0),
		    b ? "\\" : "");
		if (!b)
			return o;
		s = b + 1;
		n -= k + 1;
	}
}

/* a child's line: to our stderr, shown; the first ones kept in why */
static void
relayline(const char *s, size_t k, off_t at, char *why, size_t n, char *esc)
{
	size_t len = strlen(why), e;

	reshown(esc, s, k);
	e = strlen(esc);
	esc[e] = '\n';
	sme_write_all(2, esc, e + 1);
	esc[e] = '\0';
	/* the reason: the lines that fit, joined by "; " */
	if (at < 65536 && len + e + 3 < n)
		snprintf(why + len, n - len, "%s%s", len ? "; " : "", esc);
}

/* a child's stderr: copied to ours, line by line, shown; the reason */
static void
relay(int fd, char *why, size_t n)
{
	static char buf[8192], esc[4 * sizeof buf + 1];
	size_t have = 0, start;
	ssize_t got;
	off_t off = 0, at = 0;
	char *nl;

	for (;;) {
		got = pread(fd, buf + have, sizeof buf - have, off);
		if (got > 0)
			off += got, have += (size_t)got;
		for (start = 0; (nl = memchr(buf + start, '\n', have - start));
		    start = (size_t)(nl - buf) + 1) {
			relayline(buf + start, (size_t)(nl - buf) - start, at, why, n, esc);
			at += nl - (buf + start) + 1;
		}
		/* the last line without a line feed; a piece of an endless one */
		if (got <= 0 ? have > start : start == 0 && have == sizeof buf) {
			relayline(buf + start, have - start, at, why, n, esc);
			at += (off_t)(have - start);
			start = have;
		}
		memmove(buf, buf + start, have - start);
		have -= start;
		if (got <= 0)
			break;
	}
	reset(fd);
}
static char timeoutstr[24];

int64_t
sme_export_clock(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * SME_NS + ts.tv_nsec;
}

static int
failed(struct outcome *o, int rc, const char *step)
{
	o->kind = sme_spawn_signal ? P_STOPPED : P_FAILED;
	/* a child's usage error: the config or environment it was given */
	o->status = rc == SME_EX_USAGE ? SME_EX_DATA : rc >= SME_EX_DATA &&
	    rc <= SME_EX_LOCAL ? rc : SME_EX_LOCAL;
	if (sme_spawn_timedout) {
		o->status = SME_EX_REMOTE;
		snprintf(o->why, sizeof o->why, "%s took longer than the %s s "
		    "of SME_EXPORT_TIMEOUT: stopped", step, timeoutstr);
	} else if (!*o->why || rc > 6)
		snprintf(o->why, sizeof o->why, rc == 127 ? "%s could not be run" :
		    rc > 128 ? "%s was killed" : "%s failed", step);
	return -1;
}

static void
receipt(int fd, struct outcome *o)
{
	char line[4096];
	ssize_t got = pread(fd, line, sizeof line - 1, 0);
	json_t *v, *x;

	if (got <= 0)
		return;
	line[got] = '\0';
	line[strcspn(line, "\n")] = '\0';
	if (!(v = json_loads(line, 0, NULL)))
		return;
	if ((x = json_object_get(v, "sha256")) && json_is_string(x))
		snprintf(o->sha256, sizeof o->sha256, "%s", json_string_value(x));
	if ((x = json_object_get(v, "url")) && json_is_string(x))
		snprintf(o->url, sizeof o->url, "%s", json_string_value(x));
	if ((x = json_object_get(v, "bytes")) && json_is_integer(x))
		o->bytes = json_integer_value(x);
	json_decref(v);
}

/* copies in to out until in ends or out is closed; closes both; the bytes */
static long long
pump(int in, int out)
{
	char buf[65536];
	long long n = 0;
	ssize_t k;

	for (;;) {
		k = splice(in, NULL, out, NULL, sizeof buf, SPLICE_F_MOVE);
		if (k > 0) {
			n += k;
			continue;
		}
		if (k == 0 || errno != EINTR)
			break;
	}
	/* splice may not work between these (EINVAL): the slow way */
	if (k < 0 && errno == EINVAL) {
		while ((k = read(in, buf, sizeof buf)) != 0) {
			if (k < 0 && errno == EINTR)
				continue;
			if (k < 0 || sme_write_all(out, buf, (size_t)k) < 0)
				break;
			n += k;
		}
	}
	close(in);
	close(out);
	return n;
}

/*
 * Each job has its own spool folder, statedir/spool/job, so that what a
 * killed run left there (a file between formatter and upload) is removed
 * by the next run of the job, which holds its lock: nothing else is in it.
 * Both folders are made by us and used only through descriptors opened
 * without following a link: a symbolic link or a file in their place is
 * refused, never emptied or written through.  statedir/spool stays (other
 * jobs' runs use it at the same time); the job's folder goes at the end.
 */
struct spool {
	char *path;		/* statedir/spool/job, for the children */
	int top, fd;		/* statedir/spool and the job's folder, or -1 */
	char why[1024];		/* fd < 0: what is wrong */
};

/* d's regular files go (a link is not followed; anything else stays) */
static void
sweep(int d)
{
	DIR *dp;
	struct dirent *e;
	struct stat sb;
	int fd = dup(d);

	if (fd < 0 || !(dp = fdopendir(fd))) {
		if (fd >= 0)
			close(fd);
		return;
	}
	while ((e = readdir(dp)))
		if (fstatat(d, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) == 0 &&
		    S_ISREG(sb.st_mode))
			unlinkat(d, e->d_name, 0);
	closedir(dp);
}

/* a folder of our own at dir/name (dir < 0: name), opened; -1 with errno */
static int
ownfolder(int dir, const char *name)
{
	int fd;

	if (mkdirat(dir < 0 ? AT_FDCWD : dir, name, 0700) < 0 && errno != EEXIST)
		return -1;
	fd = openat(dir < 0 ? AT_FDCWD : dir, name,
	    O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 && (errno == ELOOP || errno == ENOTDIR))
		errno = ENOTDIR;
	return fd;
}

static void
spoolopen(struct spool *sp, const struct sme_run *r, const struct sme_job *j)
{
	char *top = join(r->statedir, "spool");
	const char *bad = top;

	sp->path = join(top, j->name);
	sp->fd = -1;
	*sp->why = '\0';
	if ((sp->top = ownfolder(-1, top)) < 0 ||
	    (bad = sp->path, sp->fd = ownfolder(sp->top, j->name)) < 0) {
		if (errno == ENOTDIR)
			snprintf(sp->why, sizeof sp->why, "%s: a symbolic link or "
			    "not a folder: refused (the spool must be a folder "
			    "sme-export made)", sme_shown(bad));
		else
			snprintf(sp->why, sizeof sp->why, "%s: %s", sme_shown(bad),
			    strerror(errno));
	} else {
		sweep(sp->fd);
	}
	free(top);
}

static void
spoolclose(struct spool *sp, const struct sme_job *j)
{
	if (sp->fd >= 0) {
		sweep(sp->fd);
		close(sp->fd);
		unlinkat(sp->top, j->name, AT_REMOVEDIR);
	}
	if (sp->top >= 0)
		close(sp->top);
	free(sp->path);
}

/* one period: fetch, then map | format into a file, then upload */
static void
period(struct sme_run *r, const struct sme_job *j, struct sme_period p,
    struct spool *sp, struct outcome *o)
{
	struct sme_pipeline pl;
	char *final, *part, *dot;
	int err, rcpt, null, fp[2], mp[2], pfd[2], out = -1;
	int rc, rc2, rcf;
	long long nbytes;
	int64_t t0;
	pid_t pid, pid2, pidf;
	struct stat sb;

	memset(o, 0, sizeof *o);
	o->name = sme_period_filename(j, p);
	final = join(sp->path, o->name);
	dot = emalloc(strlen(o->name) + 8);
	sprintf(dot, ".%s.part", o->name);
	part = join(sp->path, dot);
	sme_pipeline_build(&pl, r->cfg, j, p, final);
	if (sp->fd < 0) {
		snprintf(o->why, sizeof o->why, "%s", sp->why);
		failed(o, SME_EX_LOCAL, "");
		goto done;
	}
	/* made once a run: the temporary files, /dev/null */
	if (!r->err) {
		r->err = sme_tmpfile();
		r->rcpt = sme_tmpfile();
		if ((r->null = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
			sme_die(SME_EX_LOCAL, "/dev/null:");
	}
	err = fileno(r->err), rcpt = fileno(r->rcpt);
	null = r->null;
	if (reset(err) < 0 || reset(rcpt) < 0 || reserve(err) < 0 ||
	    reserve(rcpt) < 0) {
		snprintf(o->why, sizeof o->why, "a temporary file in %s: %s",
		    sme_shown(getenv("TMPDIR") && *getenv("TMPDIR") ? getenv("TMPDIR") :
		    "/tmp"), strerror(errno));
		failed(o, SME_EX_LOCAL, "");
		goto done;
	}

	snprintf(timeoutstr, sizeof timeoutstr, "%u", r->timeout);
	if (pipe2(fp, O_CLOEXEC) < 0 || pipe2(mp, O_CLOEXEC) < 0 ||
	    pipe2(pfd, O_CLOEXEC) < 0 || (unlinkat(sp->fd, dot, 0) < 0 &&
	    errno != ENOENT) || (out = openat(sp->fd, dot, O_WRONLY | O_CREAT |
	    O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644)) < 0) {
		snprintf(o->why, sizeof o->why, "%s: %s", sme_shown(part), strerror(errno));
		failed(o, SME_EX_LOCAL, "");
		goto done;
	}
	/*
	 * sme-fetch | (through us, counted) | sme-obis | format > part, all
	 * at once; what sme-fetch said decides afterwards whether the file
	 * is sent (complete), sent with values missing, or not at all (empty)
	 */
	sme_spawn_deadline(r->timeout);
	t0 = sme_export_clock();
	pidf = sme_spawn(pl.fetch, null, fp[1], err);
	pid = sme_spawn(pl.map, mp[0], pfd[1], err);
	pid2 = sme_spawn(pl.format, pfd[0], out, err);
	close(fp[1]);
	close(mp[0]);
	close(pfd[0]);
	close(pfd[1]);
	nbytes = pump(fp[0], mp[1]);
	rcf = pidf < 0 ? 127 : sme_spawn_wait(pidf);
	rc = pid < 0 ? 127 : sme_spawn_wait(pid);
	rc2 = pid2 < 0 ? 127 : sme_spawn_wait(pid2);
	r->inside += sme_export_clock() - t0;
	alarm(0);
	relay(err, o->why, sizeof o->why);
	if (close(out) < 0 && rc2 == 0) {
		snprintf(o->why, sizeof o->why, "%s: %s", sme_shown(part), strerror(errno));
		rc2 = SME_EX_LOCAL;
	}
	out = -1;
	if (rcf != 0 && rcf != 1) {
		failed(o, rcf, "sme-fetch");
		goto done;
	}
	if (nbytes == 0) {
		o->kind = P_EMPTY;
		snprintf(o->why, sizeof o->why, "no records for the period");
		goto done;
	}
	if (rcf == 1 && j->trigger == SME_TRIG_COMPLETE) {
		o->kind = P_WAITING;
		goto done;
	}
	o->missing = rcf == 1;
	if (rc == 1 && j->trigger == SME_TRIG_COMPLETE && rc2 == 0) {
		o->kind = P_WAITING;
		snprintf(o->why, sizeof o->why, "sme-obis found a gap");
		goto done;
	}
	if (rc != 0 && rc != 1) {
		failed(o, rc, "sme-obis");
		goto done;
	}
	/* the formatter's message, among the others' (why is theirs joined) */
	if (rc2 != 0) {
		failed(o, rc2, pl.format[0]);
		goto done;
	}
	*o->why = '\0';
	o->missing |= rc == 1;
	if (sme_spawn_signal) {
		o->kind = P_STOPPED;
		goto done;
	}
	if (renameat(sp->fd, dot, sp->fd, o->name) < 0) {
		snprintf(o->why, sizeof o->why, "%s: %s", sme_shown(final), strerror(errno));
		failed(o, SME_EX_LOCAL, "");
		goto done;
	}
	if (fstatat(sp->fd, o->name, &sb, AT_SYMLINK_NOFOLLOW) == 0)
		o->bytes = sb.st_size;

	sme_spawn_deadline(r->timeout);
	t0 = sme_export_clock();
	pid = sme_spawn(pl.upload, null, rcpt, err);
	rc = pid < 0 ? 127 : sme_spawn_wait(pid);
	r->inside += sme_export_clock() - t0;
	alarm(0);
	relay(err, o->why, sizeof o->why);
	if (rc != 0) {
		failed(o, rc, "sme-upload");
		goto done;
	}
	/* delivered: whatever came meanwhile, the state must say so */
	receipt(rcpt, o);
	o->kind = P_SENT;
done:
	if (out >= 0)
		close(out);
	if (sp->fd >= 0) {
		unlinkat(sp->fd, dot, 0);
		if (o->kind != P_SENT)
			unlinkat(sp->fd, o->name, 0);
	}
	free(dot);
	free(part);
	free(final);
	sme_pipeline_free(&pl);
}

static void
logline(struct sme_run *r, const struct sme_job *j, struct sme_period p,
    const struct outcome *o, int skipped)
{
	char label[SME_LABEL_MAX], t[SME_TIME_MAX], *s;
	json_t *v = json_object();

	sme_period_label(j->interval, p, label);
	json_object_set_new(v, "job", json_string(j->name));
	json_object_set_new(v, "period", json_string(label));
	sme_time_format(p.start * SME_NS, t);
	json_object_set_new(v, "start", json_string(t));
	sme_time_format(p.end * SME_NS, t);
	json_object_set_new(v, "end", json_string(t));
	json_object_set_new(v, "status", json_string(pnames[o->kind]));
	json_object_set_new(v, "file", sme_state_text(o->name));
	json_object_set_new(v, "target", json_string(j->target->name));
	if (o->kind == P_SENT) {
		json_object_set_new(v, "bytes", json_integer(o->bytes));
		json_object_set_new(v, "url", sme_state_text(o->url));
		json_object_set_new(v, "sha256", sme_state_text(o->sha256));
		if (o->missing)
			json_object_set_new(v, "missing", json_true());
	} else {
		json_object_set_new(v, "why", sme_state_text(o->why));
	}
	if (skipped)
		json_object_set_new(v, "skipped", json_true());
	s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
	json_decref(v);
	if (s) {
		fputs(s, stdout);
		fputc('\n', stdout);
		free(s);
	}
	fflush(stdout);
	(void)r;
	switch (o->kind) {
	case P_SENT:
		sme_warn("%s %s: sent %s (%lld bytes) to %s%s", j->name, label,
		    o->name, o->bytes, j->target->name, o->missing ?
		    ", with values missing" : "");
		break;
	case P_EMPTY:
		sme_warn("%s %s: empty: no records%s", j->name, label, skipped ?
		    "; skipped (on_empty: skip)" : "; the job waits here");
		break;
	default:
		sme_warn("%s %s: %s: %s", j->name, label, pnames[o->kind], o->why);
		break;
	}
}

/* the period to start from; -1 after a message */
static int
startat(struct sme_run *r, const struct sme_job *j, struct sme_state *st,
    int loaded, int64_t *next)
{
	char err[512], t[SME_TIME_MAX];
	int64_t first;

	if (sme_period_first(j, &first, err, sizeof err) < 0) {
		sme_warn_at(j->file, j->line, "%s: start: %s", j->name, sme_shown(err));
		setstatus(r, SME_EX_DATA);
		return -1;
	}
	if (loaded && !strcmp(st->start, j->start)) {
		if (sme_interval_floor(j->interval, st->next) != st->next) {
			sme_time_format_local(st->next * SME_NS, t);
			sme_warn("%s: the state's next period starts %s, which does "
			    "not begin a %s period in %s: the interval or zone "
			    "changed; set \"start\" to the next period to export",
			    j->name, t, sme_interval_name(j->interval), j->zone);
			setstatus(r, SME_EX_DATA);
			return -1;
		}
		*next = st->next;
		return 0;
	}
	if (loaded && !r->dry)
		sme_warn("%s: start changed in the config to %s: exporting from "
		    "there", j->name, sme_shown(j->start));
	free(st->start);
	st->start = estrdup(j->start);
	*next = first;
	return 0;
}

static void
waiting(struct sme_state *st, const char *label, const char *status,
    const char *why, int64_t now)
{
	if (!st->wait_since || strcmp(st->wait_period, label) ||
	    strcmp(st->wait_status, status))
		st->wait_since = now;
	free(st->wait_period), free(st->wait_status), free(st->wait_why);
	st->wait_period = estrdup(label);
	st->wait_status = estrdup(status);
	st->wait_why = estrdup(why);
}

static int
save(struct sme_run *r, const struct sme_job *j, struct sme_state *st,
    const char *what)
{
	if (sme_state_save(r->statedir, j->name, st) == 0)
		return 0;
	sme_warn("%s/%s.json: cannot write the state%s:", sme_shown(r->statedir), j->name,
	    what);
	setstatus(r, SME_EX_LOCAL);
	r->failed++;
	return -1;
}

/* the job's state: 1 loaded, 0 none yet, -1 said (the status is set) */
static int
loadstate(struct sme_run *r, const struct sme_job *j, struct sme_state *st)
{
	char err[1024];
	int loaded, status;

	loaded = sme_state_load(r->statedir, j->name, st, err, sizeof err,
	    &status);
	if (loaded < 0) {
		sme_warn("%s", sme_shown(err));	/* a path and jansson's words, raw */
		setstatus(r, status);
	}
	return loaded;
}

void
sme_export_job(struct sme_run *r, const struct sme_job *j)
{
	struct sme_state st;
	struct sme_period p;
	struct outcome o;
	char label[SME_LABEL_MAX], t[SME_TIME_MAX];
	int64_t next;
	int lock = -1, loaded;
	struct spool sp = { NULL, -1, -1, "" };

	sme_zone_set(j->zone);
	if (!r->dry) {
		lock = sme_state_lock(r->statedir, j->name);
		if (lock == -1) {
			sme_warn("%s: another run holds its lock: skipped", j->name);
			return;
		}
		if (lock < 0) {
			sme_warn("%s/%s.lock: cannot lock:", sme_shown(r->statedir), j->name);
			setstatus(r, SME_EX_LOCAL);
			r->failed++;
			return;
		}
		/*
		 * The children hold the lock too: should we die, the next run
		 * skips the job until the last of them has gone
		 */
		fcntl(lock, F_SETFD, 0);
		spoolopen(&sp, r, j);
	}
	if ((loaded = loadstate(r, j, &st)) < 0) {
		r->failed++;
		goto out;
	}
	if (startat(r, j, &st, loaded, &next) < 0)
		goto out;
	while (!sme_spawn_signal) {
		p = sme_period_at(j->interval, next);
		if (r->now < sme_period_due(j, p))
			break;
		sme_period_label(j->interval, p, label);
		if (r->dry) {
			struct sme_pipeline pl;
			char *name = sme_period_filename(j, p);

			sme_time_format(p.start * SME_NS, t);
			printf("# %s %s [%s, ", j->name, label, t);
			sme_time_format(p.end * SME_NS, t);
			printf("%s)%s\n", t, j->trigger == SME_TRIG_COMPLETE ?
			    ", when sme-fetch finds every value" : "");
			sme_pipeline_build(&pl, r->cfg, j, p, name);
			sme_pipeline_print(stdout, &pl, name);
			sme_pipeline_free(&pl);
			free(name);
			next = p.end;
			continue;
		}
		period(r, j, p, &sp, &o);
		if (o.kind == P_STOPPED) {
			/* its files are gone, the state stays before it */
			snprintf(o.why, sizeof o.why, "signal %d: the next run "
			    "does the period again", (int)sme_spawn_signal);
			logline(r, j, p, &o, 0);
			free(o.name);
			break;
		}
		logline(r, j, p, &o, o.kind == P_EMPTY && j->skip_empty);
		if (o.kind == P_SENT || (o.kind == P_EMPTY && j->skip_empty)) {
			next = p.end;
			st.next = next;
			if (o.kind == P_SENT) {
				free(st.last_period), free(st.last_file);
				free(st.last_sha256), free(st.last_url);
				st.last_period = estrdup(label);
				st.last_file = estrdup(o.name);
				st.last_sha256 = estrdup(o.sha256);
				st.last_url = estrdup(o.url);
				st.last_sent = r->now;
				r->sent++;
			} else {
				r->empty++;
			}
			st.wait_since = 0;
			if (save(r, j, &st, o.kind == P_SENT ? " (the period was "
			    "delivered and will be sent again, under the same "
			    "name)" : "") < 0) {
				free(o.name);
				break;
			}
			if (sp.fd >= 0)
				unlinkat(sp.fd, o.name, 0);
			free(o.name);
			continue;
		}
		if (o.kind == P_FAILED) {
			setstatus(r, o.status);
			r->failed++;
			free(o.name);
			break;
		}
		/* waiting, or empty: the job stays at this period */
		if (o.kind == P_EMPTY)
			r->empty++;
		else
			r->waiting++;
		setstatus(r, SME_EX_INCOMPLETE);
		st.next = next;
		waiting(&st, label, pnames[o.kind], o.why, r->now);
		save(r, j, &st, "");
		free(o.name);
		break;
	}
out:
	sme_state_free(&st);
	if (!r->dry)
		spoolclose(&sp, j);
	if (lock >= 0)
		close(lock);
}

void
sme_export_print(struct sme_run *r, const struct sme_job *j)
{
	struct sme_state st;
	struct sme_pipeline pl;
	struct sme_period p;
	char *name;
	int64_t next;
	int loaded;

	sme_zone_set(j->zone);
	if ((loaded = loadstate(r, j, &st)) < 0)
		return;
	r->dry = 1;
	if (startat(r, j, &st, loaded, &next) == 0) {
		p = sme_period_at(j->interval, next);
		name = sme_period_filename(j, p);
		sme_pipeline_build(&pl, r->cfg, j, p, name);
		sme_pipeline_print(stdout, &pl, name);
		sme_pipeline_free(&pl);
		free(name);
	}
	sme_state_free(&st);
}

void
sme_export_status(struct sme_run *r, const struct sme_job *j)
{
	struct sme_state st;
	struct sme_period p;
	char label[SME_LABEL_MAX], a[SME_TIME_MAX], b[SME_TIME_MAX];
	char c[SME_TIME_MAX];
	int64_t next;
	int loaded;

	sme_zone_set(j->zone);
	if ((loaded = loadstate(r, j, &st)) < 0)
		return;
	r->dry = 1;
	if (startat(r, j, &st, loaded, &next) < 0)
		goto out;
	/*
	 * The state file's text, shown as in messages: it is read back from
	 * a file anyone with the folder may have changed.  The why is the
	 * children's, escaped once already: shown as the log showed it.
	 */
	if (loaded && st.last_period) {
		sme_time_format(st.last_sent * SME_NS, a);
		printf("%s: last sent %s as %s at %s\n", j->name,
		    sme_shown(st.last_period), st.last_file ?
		    sme_shown(st.last_file) : "?", a);
	} else {
		printf("%s: nothing sent yet\n", j->name);
	}
	p = sme_period_at(j->interval, next);
	sme_period_label(j->interval, p, label);
	sme_time_format(p.start * SME_NS, a);
	sme_time_format(p.end * SME_NS, b);
	sme_time_format(sme_period_due(j, p) * SME_NS, c);
	printf("%s: next %s [%s, %s), %s %s%s\n", j->name, label, a, b,
	    r->now >= sme_period_due(j, p) ? "due since" : "due at", c,
	    j->trigger == SME_TRIG_COMPLETE ? " once every value is there" : "");
	if (loaded && st.wait_since && st.wait_period && st.wait_status &&
	    !strcmp(st.wait_period, label)) {
		char *why = st.wait_why ? st.wait_why : "";
		char *shown = emalloc(4 * strlen(why) + 1);

		sme_time_format(st.wait_since * SME_NS, a);
		printf("%s: %s since %s: %s\n", j->name, sme_shown(st.wait_status),
		    a, reshown(shown, why, strlen(why)));
		free(shown);
		setstatus(r, SME_EX_INCOMPLETE);
	}
out:
	sme_state_free(&st);
}

static const char *const ftypes[] = { "mscons", "csv", "ise" };
static const char *const trigs[] = { "complete", "12h-after-end" };

static void
entry(struct sme_run *r, int json, json_t *v, const char *kind,
    const char *name, int shared, const char *what)
{
	char *s;

	if (json) {
		json_object_set_new(v, "shared", json_boolean(shared));
		s = json_dumps(v, JSON_COMPACT | JSON_PRESERVE_ORDER);
		if (s)
			puts(s);
		free(s);
	} else {
		printf("%-6s  %-20s  %s%s%s\n", kind, name, sme_shown(what),
		    shared ? (r->tty ? "  \033[34mshared\033[0m" : "  shared") : "",
		    "");
	}
	json_decref(v);
}

void
sme_export_list(struct sme_run *r, int json)
{
	const struct sme_config *c = r->cfg;
	char what[4096];
	size_t i;

	for (i = 0; i < c->ntargets; i++) {
		const struct sme_target *t = c->targets[i];

		snprintf(what, sizeof what, "%s", t->url);
		entry(r, json, json_pack("{s:s,s:s,s:s}", "entry", "target",
		    "name", t->name, "url", t->url), "target", t->name,
		    t->shared, what);
	}
	for (i = 0; i < c->nformats; i++) {
		const struct sme_format *f = c->formats[i];
		json_t *v = json_pack("{s:s,s:s,s:s}", "entry", "format", "name",
		    f->name, "type", ftypes[f->type]);

		if (f->type == SME_FMT_MSCONS) {
			snprintf(what, sizeof what, "mscons %s from %s to %s",
			    f->release, f->sender, f->receiver);
			json_object_set_new(v, "release", json_string(f->release));
		} else if (f->type == SME_FMT_CSV) {
			snprintf(what, sizeof what, "csv %s", f->columns ?
			    f->columns : "(all codes)");
		} else {
			snprintf(what, sizeof what, "ise %s", f->kind);
			json_object_set_new(v, "kind", json_string(f->kind));
		}
		entry(r, json, v, "format", f->name, f->shared, what);
	}
	for (i = 0; i < c->njobs; i++) {
		const struct sme_job *j = c->jobs[i];
		json_t *v = json_pack("{s:s,s:s,s:s,s:s,s:s,s:s,s:s}", "entry",
		    "job", "name", j->name, "format", j->format->name, "target",
		    j->target->name, "interval", j->interval == SME_IV_HALFYEAR ?
		    "halfyearly" : sme_interval_name(j->interval), "trigger",
		    trigs[j->trigger], "start", j->start);

		snprintf(what, sizeof what, "%s %s to %s, %s, from %s%s%s",
		    j->interval == SME_IV_HALFYEAR ? "halfyearly" :
		    sme_interval_name(j->interval), j->format->name,
		    j->target->name, trigs[j->trigger], j->start,
		    j->virtual ? ", virtual tariffs" : "",
		    j->folder ? ", folder" : "");
		if (j->folder) {
			strncat(what, " ", sizeof what - strlen(what) - 1);
			strncat(what, j->folder, sizeof what - strlen(what) - 1);
		}
		entry(r, json, v, "job", j->name, 0, what);
	}
	fflush(stdout);
}

unsigned
sme_export_shard(const char *name, unsigned n)
{
	uint32_t h = 2166136261u;

	for (; *name; name++) {
		h ^= (unsigned char)*name;
		h *= 16777619u;
	}
	return n ? h % n : 0;
}
