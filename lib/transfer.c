/* sme: delivery of files: the connection, retries, progress; licence in COPYING */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sme.h"

/* ---- transfers ---------------------------------------------------------- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

double
sme_xfer_now(void)
{
	return now();
}

void
sme_xfer_progress(struct sme_xfer *x)
{
	x->stall = now() + (double)x->opt->timeout;
}

void
sme_xfer_kept(struct sme_xfer *x, struct sme_put *p)
{
	char *u = sme_url_string(x->url, p->tmp);

	sme_warn("%s: the new %s stays here, complete (%lld bytes)",
	    sme_shown(u), sme_shown(p->name), (long long)p->size);
	free(u);
	p->left = 0;
}

int
sme_xfer_fail(struct sme_xfer *x, int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(x->err, sizeof x->err, fmt, ap);
	va_end(ap);
	return status;
}

char *
sme_xfer_path(struct sme_xfer *x, const char *name)
{
	size_t a = strlen(x->url->dir), b = strlen(name);
	char *s = emalloc(a + b + 1);

	memcpy(s, x->url->dir, a);
	memcpy(s + a, name, b + 1);
	return s;
}

struct sme_xfer *
sme_xfer_new(const struct sme_url *u, struct sme_xfer_opt *o)
{
	struct sme_xfer *x = ecalloc(1, sizeof *x);
	struct sme_url site = *u;

	x->url = u;
	x->opt = o;
	switch (u->scheme) {
	case SME_SFTP:
		x->proto = &sme_proto_sftp;
		break;
	case SME_FILE:
		x->proto = &sme_proto_file;
		break;
	default:
		x->proto = &sme_proto_ftp;
		break;
	}
	site.dir = "";
	site.portgiven = 1;
	x->site = sme_url_string(&site, NULL);
	x->site[strlen(x->site) - 1] = '\0';	/* no final '/' */
	return x;
}

static void
stale_report(struct sme_xfer *x)
{
	char *s;
	size_t i;

	for (i = 0; i < x->nstale; i++) {
		s = sme_url_string(x->url, x->stale[i]);
		sme_warn("%s: temporary file may remain on the server", sme_shown(s));
		free(s);
		free(x->stale[i]);
	}
	x->nstale = 0;
}

void
sme_xfer_free(struct sme_xfer *x)
{
	struct sme_xfer_opt *o = (struct sme_xfer_opt *)x->opt;

	if (x->connected)
		x->proto->close(x);
	stale_report(x);
	free(x->stale);
	free(x->site);
	sme_secret_free(o->password);
	sme_secret_free(o->passphrase);
	o->password = o->passphrase = NULL;
	free(x);
}

int
sme_spool(int fd)
{
	FILE *f = sme_tmpfile();	/* in $TMPDIR; exits 6 when it cannot */
	char buf[1 << 16];
	ssize_t r;
	int e;

	while ((r = read(fd, buf, sizeof buf)) != 0) {
		sme_sig_die();	/* a signal: the spool is unlinked, nothing stays */
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fclose(f);
			return -1;
		}
		if (fwrite(buf, 1, (size_t)r, f) != (size_t)r) {
			e = errno;
			fclose(f);
			errno = e;
			return -2;
		}
	}
	if (fflush(f) == EOF) {
		e = errno;
		fclose(f);
		errno = e;
		return -2;
	}
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}


static void
human(char *buf, size_t len, double v)
{
	static const char *const unit[] = { "B", "kB", "MB", "GB", "TB" };
	int i = 0;

	while (v >= 1000 && i < 4) {
		v /= 1000;
		i++;
	}
	snprintf(buf, len, i ? "%.1f %s" : "%.0f %s", v, unit[i]);
}

/* a bar on stderr, at most five times a second; last < 0 clears it */
static void
progress(struct sme_xfer *x, struct sme_put *p, int last)
{
	static int drawn;
	char a[32], b[32];
	double t = now(), el;
	int pct;

	if (!x->opt->progress)
		return;
	if (last < 0) {		/* clear the line */
		if (drawn)
			fprintf(stderr, "\r%*s\r", 70, "");
		drawn = 0;
		return;
	}
	if (!last && t - x->tlast < 0.2)
		return;
	x->tlast = t;
	drawn = 1;
	el = t - x->t0;
	pct = p->size ? (int)(p->done * 100 / p->size) : 100;
	human(a, sizeof a, (double)p->done);
	human(b, sizeof b, el > 0 ? p->done / el : 0);
	fprintf(stderr, "\r%-32.32s %3d%% %10s %10s/s ", sme_shown(p->name), pct, a, b);
}
long
sme_put_read(struct sme_xfer *x, struct sme_put *p, char *buf, size_t n)
{
	ssize_t r;

	if ((int64_t)n > p->size - p->done)
		n = (size_t)(p->size - p->done);
	if (sme_sig_caught())	/* SIGTERM, SIGINT, SIGHUP: stop here */
		return sme_xfer_fail(x, -1, "interrupted");
	if (n == 0)
		return 0;
	do
		r = read(p->fd, buf, n);
	while (r < 0 && errno == EINTR && !sme_sig_caught());
	if (r < 0 && sme_sig_caught())
		return sme_xfer_fail(x, -1, "interrupted");
	if (r < 0)
		return sme_xfer_fail(x, -1, "cannot read %s: %s",
		    sme_filename(p->path), strerror(errno));
	if (r == 0)
		return sme_xfer_fail(x, -1, "%s: file shrank while it was sent",
		    sme_filename(p->path));
	sme_digest_add(p->md, buf, (size_t)r);
	p->done += r;
	progress(x, p, 0);
	return (long)r;
}

static void
pause_for(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR && !sme_sig_caught())
		;
}

/*
 * A signal stopped the transfer, and the protocol removed what it could:
 * name what remains, close, and die of the signal.
 */
static void
interrupted(struct sme_xfer *x, struct sme_put *p)
{
	char *url;

	if (p && p->left) {
		url = sme_url_string(x->url, p->tmp);
		sme_warn("%s: %s may remain on the server", sme_shown(url),
		    p->tmp == p->name ? "a partial file" : "the temporary file");
		free(url);
	}
	stale_report(x);
	if (x->connected)
		x->proto->close(x);
	x->connected = 0;
	sme_sig_die();
}

/* removes what earlier attempts left behind; keeps what it cannot */
static void
stale_clean(struct sme_xfer *x)
{
	size_t i, j = 0;

	for (i = 0; i < x->nstale; i++) {
		if (x->proto->remove(x, x->stale[i]) == 0)
			free(x->stale[i]);
		else
			x->stale[j++] = x->stale[i];
	}
	x->nstale = j;
}

int
sme_xfer_put(struct sme_xfer *x, const char *path, int fd, const char *name)
{
	const struct sme_xfer_opt *o = x->opt;
	struct sme_put p;
	struct stat st;
	char *url;
	double wait = o->backoff;
	int attempt, rc;

	memset(&p, 0, sizeof p);
	if (fstat(fd, &st) < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s:", sme_shown(sme_filename(path)));
	p.fd = fd;
	p.path = path;
	p.name = name;
	p.size = st.st_size;
	p.md = sme_digest_new();
	sme_xfer_progress(x);	/* the time before this file is not the server's */
	for (attempt = 0;; attempt++) {
		x->err[0] = '\0';
		p.done = 0;
		p.left = 0;
		p.tmp = o->direct ? (char *)name : sme_tmpname(name);
		if (lseek(fd, 0, SEEK_SET) < 0)
			sme_die(SME_EX_LOCAL, "cannot read %s:", sme_shown(sme_filename(path)));
		sme_digest_stop(p.md);
		sme_digest_start(p.md, p.size);
		x->t0 = x->tlast = now();
		rc = 0;
		if (!x->connected && (rc = x->proto->connect(x)) == 0)
			x->connected = 1;
		if (rc == 0) {
			stale_clean(x);
			rc = x->proto->put(x, &p);
			progress(x, &p, -1);
		}
		/*
		 * No receipt for bytes that were not sent.  The size check
		 * before the rename makes this unreachable; should it ever
		 * fire, the file may already stand under its name.
		 */
		if (rc == 0 && p.done != p.size)
			rc = sme_xfer_fail(x, SME_EX_REMOTE, "only %lld of %lld bytes "
			    "were sent, though the transfer reported success: the "
			    "remote file may be incomplete", (long long)p.done,
			    (long long)p.size);
		if (rc == 0)
			break;
		if (sme_sig_caught())
			interrupted(x, &p);
		if (p.left && !o->direct) {
			x->stale = erealloc(x->stale, (x->nstale + 1) *
			    sizeof *x->stale);
			x->stale[x->nstale++] = p.tmp;
			p.tmp = NULL;
		}
		if (p.tmp != name)
			free(p.tmp);
		url = sme_url_string(x->url, name);
		if (rc != SME_XF_AGAIN || attempt >= o->retries) {
			sme_warn("%s: %s", sme_shown(url), sme_shown(x->err));
			if (p.left && o->direct)
				sme_warn("%s: may hold a partial file", sme_shown(url));
			free(url);
			sme_digest_free(p.md);
			stale_report(x);
			return rc == SME_XF_AGAIN ? SME_EX_REMOTE : rc;
		}
		if (now() + wait > x->stall) {
			/* the retry would begin past the stall deadline */
			sme_warn("%s: %s (a retry would begin past %ld s without "
			    "progress: giving up after %d of %d retries)",
			    sme_shown(url), sme_shown(x->err),
			    o->timeout, attempt, o->retries);
			if (p.left && o->direct)
				sme_warn("%s: may hold a partial file",
				    sme_shown(url));
			free(url);
			sme_digest_free(p.md);
			stale_report(x);
			return SME_EX_REMOTE;
		}
		sme_warn("%s: %s (retry %d of %d)", sme_shown(url),
		    sme_shown(x->err), attempt + 1,
		    o->retries);
		free(url);
		if (x->connected)
			x->proto->close(x);
		x->connected = 0;
		pause_for(wait);
		if (sme_sig_caught())
			interrupted(x, NULL);
		wait = wait * 2 > 60 ? 60 : wait * 2;
	}
	sme_xfer_progress(x);	/* a file done */
	sme_receipt(x, &p, now() - x->t0);
	if (p.tmp != name)
		free(p.tmp);
	sme_digest_free(p.md);
	if (sme_sig_caught())	/* delivered, with its receipt: no more */
		interrupted(x, NULL);
	return 0;
}
