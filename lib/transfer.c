/* sme: delivery of files: URLs, secrets, retries, temporary names, receipts; licence in COPYING */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>
#include <openssl/evp.h>
#include <openssl/rand.h>

#include "sme.h"

static const struct {
	const char *name;
	int port;
} schemes[] = {
	[SME_FTP] = { "ftp", 21 },
	[SME_FTPS] = { "ftps", 990 },
	[SME_FTPES] = { "ftpes", 21 },
	[SME_SFTP] = { "sftp", 22 },
	[SME_FILE] = { "file", 0 },
};

static int
hexval(int c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* percent-decodes s[0..n); NULL on a bad escape or a control character */
static char *
decode(const char *s, size_t n)
{
	char *d = emalloc(n + 1), *o = d;
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		if (s[i] == '%') {
			if (i + 2 >= n || (hi = hexval(s[i + 1])) < 0 ||
			    (lo = hexval(s[i + 2])) < 0)
				goto bad;
			*o = (char)(hi << 4 | lo);
			i += 2;
		} else {
			*o = s[i];
		}
		if ((unsigned char)*o < 0x20 || *o == 0x7f)
			goto bad;
		o++;
	}
	*o = '\0';
	return d;
bad:
	free(d);
	return NULL;
}

int
sme_name_check(const char *name)
{
	const unsigned char *s;

	if (!*name || !strcmp(name, ".") || !strcmp(name, ".."))
		return -1;
	for (s = (const unsigned char *)name; *s; s++)
		if (*s == '/' || *s < 0x20 || *s == 0x7f)
			return -1;
	return 0;
}

static int
urlerr(char *err, size_t errlen, const char *fmt, const char *arg)
{
	const char *c = strstr(arg, "://");

	/* "user:secret@" anywhere in a url: never repeat it */
	c = c ? strchr(c + 3, ':') : NULL;
	if (strstr(fmt, ": %s") && c && strchr(c, '@'))
		arg = "(not repeated: it may hold a password)";
	snprintf(err, errlen, fmt, arg);
	return -1;
}

int
sme_url_parse(struct sme_url *u, const char *s, char *err, size_t errlen)
{
	const char *p, *auth, *aend, *at, *h, *hend, *path;
	size_t i, n;
	char *raw, *slash;
	long port;
	int abs = 0;

	memset(u, 0, sizeof *u);
	u->scheme = -1;
	p = strstr(s, "://");
	if (!p)	/* "user:secret@host:/in/" is not repeated */
		return urlerr(err, errlen, "not a url: %s (want ftp://, ftps://, "
		    "ftpes://, sftp:// or file://)", strchr(s, '@') ? "..." : s);
	for (i = 0; i < sizeof schemes / sizeof schemes[0]; i++)
		if ((size_t)(p - s) == strlen(schemes[i].name) &&
		    !strncasecmp(s, schemes[i].name, (size_t)(p - s)))
			u->scheme = (int)i;
	if (u->scheme < 0) {
		raw = estrndup(s, (size_t)(p - s));
		snprintf(err, errlen, "unknown url scheme \"%s\" (want ftp, ftps, "
		    "ftpes, sftp or file)", raw);
		free(raw);
		return -1;
	}
	u->port = schemes[u->scheme].port;
	auth = p + 3;
	/*
	 * "user:secret@" even where the secret holds a '/' (which would end
	 * the host part): a ':' before any '/' or '@', and an '@' after it.
	 * Nothing of it is repeated.  An '@' in a path is written %40 then.
	 */
	n = 0;
	if (*auth == '[')	/* an IPv6 host: its ':' are no password's */
		n = strcspn(auth, "]/@");
	n += strcspn(auth + n, ":/@");
	if (auth[n] == ':' && (at = strchr(auth + n, '@')) != NULL)
		return urlerr(err, errlen, "password in the url refused: give it "
		    "in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc%s",
		    memchr(auth, '/', (size_t)(at - auth)) ?
		    " (an @ in the path is written %40)" : "");
	aend = auth + strcspn(auth, "/");
	path = aend;

	/* user[:password]@ -- the last '@' ends it */
	at = NULL;
	for (h = auth; h < aend; h++)
		if (*h == '@')
			at = h;
	if (at) {
		if (memchr(auth, ':', (size_t)(at - auth)))
			return urlerr(err, errlen, "password in the url refused: give "
			    "it in SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc%s", "");
		if (at == auth)
			return urlerr(err, errlen, "empty user name in url %s", "");
		if (!(u->user = decode(auth, (size_t)(at - auth))))
			return urlerr(err, errlen, "bad user name in url%s", "");
		h = at + 1;
	} else {
		h = auth;
	}

	/* host[:port], [v6][:port] */
	if (*h == '[') {
		hend = memchr(h, ']', (size_t)(aend - h));
		if (!hend)
			return urlerr(err, errlen, "missing ']' in url host%s", "");
		u->host = estrndup(h + 1, (size_t)(hend - h - 1));
		p = hend + 1;
		if (p < aend && *p != ':')
			return urlerr(err, errlen, "bad host in url: %s", s);
	} else {
		p = memchr(h, ':', (size_t)(aend - h));
		if (!p)
			p = aend;
		u->host = estrndup(h, (size_t)(p - h));
	}
	if (p < aend) {		/* ":port" */
		raw = estrndup(p + 1, (size_t)(aend - p - 1));
		port = 0;
		for (i = 0; raw[i] && port <= 65535; i++)
			port = isdigit((unsigned char)raw[i]) ? port * 10 +
			    (raw[i] - '0') : 99999;
		if (!raw[0] || port < 1 || port > 65535) {
			snprintf(err, errlen, "bad port \"%s\" in url", raw);
			free(raw);
			return -1;
		}
		free(raw);
		u->port = (int)port;
		u->portgiven = 1;
	}
	for (i = 0; u->host[i]; i++)
		if ((unsigned char)u->host[i] <= 0x20 || u->host[i] == '%')
			return urlerr(err, errlen, "bad host in url: %s", s);

	if (u->scheme == SME_FILE) {
		if (u->user || u->portgiven)
			return urlerr(err, errlen, "a file:// url has no user or "
			    "port: %s", s);
		if (*u->host && strcasecmp(u->host, "localhost"))
			return urlerr(err, errlen, "file:// url for another host: "
			    "%s", s);
		if (*path != '/')
			return urlerr(err, errlen, "missing path in url: %s", s);
		abs = 1;
	} else {
		if (!*u->host)
			return urlerr(err, errlen, "missing host in url: %s", s);
		if (*path == '/')
			path++;		/* the separator */
		if (*path == '/' || !strncasecmp(path, "%2f", 3))
			abs = 1;
		else if (u->scheme == SME_SFTP && !strncmp(path, "~/", 2))
			path += 2;
	}
	n = strlen(path);
	if (!(raw = decode(path, n)))
		return urlerr(err, errlen, "bad path in url: %s", s);
	if (abs && raw[0] == '/')
		while (raw[1] == '/')
			memmove(raw, raw + 1, strlen(raw));
	slash = strrchr(raw, '/');
	if (slash) {
		u->dir = estrndup(raw, (size_t)(slash - raw + 1));
		p = slash + 1;
	} else {
		u->dir = estrdup("");
		p = raw;
	}
	if (*p) {
		if (sme_name_check(p) < 0) {
			free(raw);
			return urlerr(err, errlen, "bad file name in url: %s", s);
		}
		u->name = estrdup(p);
	}
	free(raw);
	return 0;
}

void
sme_url_free(struct sme_url *u)
{
	free(u->user);
	free(u->host);
	free(u->dir);
	free(u->name);
	memset(u, 0, sizeof *u);
}

static void
append(char **buf, size_t *len, size_t *cap, const char *s, size_t n)
{
	if (*len + n + 1 > *cap) {
		*cap = (*len + n + 1) * 2;
		*buf = erealloc(*buf, *cap);
	}
	memcpy(*buf + *len, s, n);
	*len += n;
	(*buf)[*len] = '\0';
}

static void
append_enc(char **buf, size_t *len, size_t *cap, const char *s)
{
	static const char ok[] = "-._~/!$&'()*+,;=:@";
	char e[4];

	for (; *s; s++) {
		if (isalnum((unsigned char)*s) || strchr(ok, *s)) {
			append(buf, len, cap, s, 1);
		} else {
			snprintf(e, sizeof e, "%%%02X", (unsigned char)*s);
			append(buf, len, cap, e, 3);
		}
	}
}

char *
sme_url_string(const struct sme_url *u, const char *name)
{
	char *b = NULL, port[16];
	size_t len = 0, cap = 0;
	int v6 = strchr(u->host, ':') != NULL;

	append(&b, &len, &cap, schemes[u->scheme].name,
	    strlen(schemes[u->scheme].name));
	append(&b, &len, &cap, "://", 3);
	if (v6)
		append(&b, &len, &cap, "[", 1);
	append(&b, &len, &cap, u->host, strlen(u->host));
	if (v6)
		append(&b, &len, &cap, "]", 1);
	if (u->portgiven) {
		snprintf(port, sizeof port, ":%d", u->port);
		append(&b, &len, &cap, port, strlen(port));
	}
	if (u->scheme != SME_FILE)
		append(&b, &len, &cap, "/", 1);
	append_enc(&b, &len, &cap, u->dir);
	if (name)
		append_enc(&b, &len, &cap, name);
	return b;
}

/* ---- secrets ------------------------------------------------------------ */

static void
wipe(char *s, size_t n)
{
	volatile char *v = s;

	while (n--)
		*v++ = 0;
}

/* the first max bytes of path; st, when given, gets its status */
static char *
slurp(const char *path, size_t max, size_t *lenp, struct stat *st)
{
	char *buf;
	size_t len = 0;
	ssize_t r;
	int fd, e;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0)
		return NULL;
	if (st && fstat(fd, st) < 0) {
		e = errno;
		close(fd);
		errno = e;
		return NULL;
	}
	buf = emalloc(max + 1);
	while (len < max && (r = read(fd, buf + len, max - len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			wipe(buf, max);
			free(buf);
			errno = e;
			return NULL;
		}
		len += (size_t)r;
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

/*
 * The next netrc token; quotes and backslashes as in curl.  Where a
 * keyword is expected, a token that starts with '#' makes the rest of
 * its line a comment; a value (a password "#x1") is never one.
 * *eol is set when the token ended its line.
 */
static char *
netrc_token(char **sp, int *eol, int value)
{
	char *s = *sp, *t, *o;

	*eol = 0;
	for (;;) {
		while (*s && isspace((unsigned char)*s))
			s++;
		if (*s != '#' || value)
			break;
		s += strcspn(s, "\n");
	}
	if (!*s) {
		*sp = s;
		return NULL;
	}
	if (*s == '"') {
		t = o = ++s;
		while (*s && *s != '"') {
			if (*s == '\\' && s[1])
				s++;
			*o++ = *s++;
		}
		if (*s)
			s++;
		*o = '\0';
	} else {
		t = s;
		while (*s && !isspace((unsigned char)*s))
			s++;
		if (*s) {
			*eol = *s == '\n';
			*s++ = '\0';
		}
	}
	*sp = s;
	return t;
}

/* past a macdef: its name's line, then lines up to an empty one (CRLF too) */
static char *
netrc_macdef(char *s, int eol)
{
	size_t n;

	if (!eol) {
		s += strcspn(s, "\n");
		if (*s)
			s++;
	}
	while (*s) {		/* at the start of a line */
		n = strcspn(s, "\n");
		if (n == 0 || (n == 1 && *s == '\r'))
			return s + n;
		s += n;
		if (*s)
			s++;
	}
	return s;
}

int
sme_netrc_find(const char *host, const char *user, char **login,
    char **password)
{
	const char *home = getenv("HOME");
	char path[4096], *buf, *s, *t, *l = NULL, *pw = NULL;
	size_t len;
	struct stat st;
	int state = 0;		/* 0 skip, 1 a machine that matches, 2 default */
	int found = -1, deflt = 0, eol;
	char *dl = NULL, *dp = NULL;

	*login = *password = NULL;
	if (!home || snprintf(path, sizeof path, "%s/.netrc", home) >=
	    (int)sizeof path)
		return -1;
	if (!(buf = slurp(path, 1 << 20, &len, &st)))
		return -1;
	if (st.st_mode & 077) {	/* as ftp(1): passwords others can read */
		wipe(buf, len);
		free(buf);
		sme_die(SME_EX_SAFETY, "%s is open to others (mode %04o): chmod "
		    "600 %s", path, (unsigned)(st.st_mode & 07777), path);
	}
	s = buf;
	for (;;) {
		t = netrc_token(&s, &eol, 0);
		if (!t || !strcmp(t, "machine") || !strcmp(t, "default")) {
			/* the end of an entry */
			if (state == 1 && (!user || !l || !strcmp(l, user))) {
				found = 0;
				break;
			}
			if (state == 2 && !deflt && (!user || !l ||
			    !strcmp(l, user))) {
				deflt = 1;
				dl = l;
				dp = pw;
			}
			l = pw = NULL;
			if (!t)
				break;
			if (!strcmp(t, "default")) {
				state = 2;
			} else {
				t = netrc_token(&s, &eol, 1);
				state = t && !strcasecmp(t, host);
			}
		} else if (!strcmp(t, "login")) {
			l = netrc_token(&s, &eol, 1);
		} else if (!strcmp(t, "password")) {
			pw = netrc_token(&s, &eol, 1);
		} else if (!strcmp(t, "account")) {
			netrc_token(&s, &eol, 1);
		} else if (!strcmp(t, "macdef")) {
			s = netrc_macdef(s, eol);
		}
	}
	if (found < 0 && deflt) {
		found = 0;
		l = dl;
		pw = dp;
	}
	if (found == 0) {
		*login = l ? estrdup(l) : NULL;
		*password = pw ? estrdup(pw) : NULL;
	}
	wipe(buf, len);
	free(buf);
	return found;
}

/* ---- transfers ---------------------------------------------------------- */

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
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
		sme_warn("%s: temporary file may remain on the server", s);
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
	if (o->password) {
		wipe(o->password, strlen(o->password));
		free(o->password);
		o->password = NULL;
	}
	if (o->passphrase) {
		wipe(o->passphrase, strlen(o->passphrase));
		free(o->passphrase);
		o->passphrase = NULL;
	}
	free(x);
}

int
sme_spool(int fd)
{
	FILE *f = sme_tmpfile();	/* in $TMPDIR; exits 6 when it cannot */
	char buf[1 << 16];
	ssize_t r;

	while ((r = read(fd, buf, sizeof buf)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			fclose(f);
			return -1;
		}
		if (fwrite(buf, 1, (size_t)r, f) != (size_t)r) {
			fclose(f);
			return -1;
		}
	}
	if (fflush(f) == EOF) {
		fclose(f);
		return -1;
	}
	fd = dup(fileno(f));
	fclose(f);
	return fd;
}

/* ".NAME.sme-XXXXXX.part" beside NAME */
static char *
tmpname(const char *name)
{
	static const char al[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[6];
	char suf[20], *s;
	size_t n = strlen(name), i;

	if (RAND_bytes(r, sizeof r) != 1)
		for (i = 0; i < sizeof r; i++)
			r[i] = (unsigned char)(rand() ^ getpid());
	memcpy(suf, ".sme-", 5);
	for (i = 0; i < sizeof r; i++)
		suf[5 + i] = al[r[i] % (sizeof al - 1)];
	memcpy(suf + 11, ".part", 6);
	if (n > 200)
		n = 200;
	s = emalloc(n + 18);
	s[0] = '.';
	memcpy(s + 1, name, n);
	memcpy(s + 1 + n, suf, 17);
	return s;
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
	fprintf(stderr, "\r%-32.32s %3d%% %10s %10s/s ", p->name, pct, a, b);
}

/*
 * The receipt's SHA-256 of the bytes sent.  A large file is hashed on a
 * second thread from a copy of each chunk, so that hashing and sending
 * overlap; a small one inline.
 */
#define RING (8u << 20)
#define THREADED (4 << 20)	/* files this large get the thread */

struct digest {
	EVP_MD_CTX *md;
	int threaded;
	pthread_t t;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	char *ring;
	size_t head, tail;	/* bytes put in and hashed, in all */
	int eof;
};

static void *
digest_run(void *arg)
{
	struct digest *d = arg;
	size_t off, n;

	pthread_mutex_lock(&d->mu);
	for (;;) {
		while (d->head == d->tail && !d->eof)
			pthread_cond_wait(&d->cv, &d->mu);
		if (d->head == d->tail)
			break;
		off = d->tail % RING;
		n = d->head - d->tail;
		if (n > RING - off)
			n = RING - off;
		pthread_mutex_unlock(&d->mu);
		EVP_DigestUpdate(d->md, d->ring + off, n);
		pthread_mutex_lock(&d->mu);
		d->tail += n;
		pthread_cond_broadcast(&d->cv);
	}
	pthread_mutex_unlock(&d->mu);
	return NULL;
}

static void
digest_start(struct digest *d, int64_t size)
{
	EVP_DigestInit_ex(d->md, EVP_sha256(), NULL);
	d->head = d->tail = 0;
	d->eof = 0;
	d->threaded = 0;
	if (size < THREADED)
		return;
	if (!d->ring)
		d->ring = emalloc(RING);
	d->threaded = pthread_create(&d->t, NULL, digest_run, d) == 0;
}

static void
digest_add(struct digest *d, const char *p, size_t n)
{
	size_t off, k;

	if (!d->threaded) {
		EVP_DigestUpdate(d->md, p, n);
		return;
	}
	while (n > 0) {
		pthread_mutex_lock(&d->mu);
		while (d->head - d->tail == RING)
			pthread_cond_wait(&d->cv, &d->mu);
		off = d->head % RING;
		k = RING - (d->head - d->tail);
		pthread_mutex_unlock(&d->mu);
		if (k > RING - off)
			k = RING - off;
		if (k > n)
			k = n;
		memcpy(d->ring + off, p, k);	/* room the thread does not read */
		pthread_mutex_lock(&d->mu);
		d->head += k;
		pthread_cond_broadcast(&d->cv);
		pthread_mutex_unlock(&d->mu);
		p += k;
		n -= k;
	}
}

/* waits until everything added is hashed */
static void
digest_stop(struct digest *d)
{
	if (!d->threaded)
		return;
	pthread_mutex_lock(&d->mu);
	d->eof = 1;
	pthread_cond_broadcast(&d->cv);
	pthread_mutex_unlock(&d->mu);
	pthread_join(d->t, NULL);
	d->threaded = 0;
}

static void
digest_free(struct digest *d)
{
	digest_stop(d);
	EVP_MD_CTX_free(d->md);
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->cv);
	free(d->ring);
}

long
sme_put_read(struct sme_xfer *x, struct sme_put *p, char *buf, size_t n)
{
	ssize_t r;

	if ((int64_t)n > p->size - p->done)
		n = (size_t)(p->size - p->done);
	if (n == 0)
		return 0;
	do
		r = read(p->fd, buf, n);
	while (r < 0 && errno == EINTR);
	if (r < 0)
		return sme_xfer_fail(x, -1, "cannot read %s: %s",
		    sme_filename(p->path), strerror(errno));
	if (r == 0)
		return sme_xfer_fail(x, -1, "%s: file shrank while it was sent",
		    sme_filename(p->path));
	digest_add(p->md, buf, (size_t)r);
	p->done += r;
	progress(x, p, 0);
	return (long)r;
}

static void
receipt(struct sme_xfer *x, struct sme_put *p, double secs)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char hex[2 * EVP_MAX_MD_SIZE + 1], *url;
	json_t *o;

	digest_stop(p->md);
	EVP_DigestFinal_ex(((struct digest *)p->md)->md, md, &mdlen);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * mdlen] = '\0';
	url = sme_url_string(x->url, p->name);
	/* json_pack returns a new reference: ours to json_decref */
	o = json_pack("{s:s, s:s, s:I, s:s, s:f}", "file", p->path, "url", url,
	    "bytes", (json_int_t)p->size, "sha256", hex,
	    "seconds", (double)(long long)(secs * 1000 + 0.5) / 1000);
	free(url);
	if (!o)
		sme_die(SME_EX_LOCAL, "out of memory");
	if (json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15)) < 0 ||
	    putchar('\n') == EOF || fflush(stdout) == EOF)
		sme_die(SME_EX_LOCAL, "write error on standard output:");
	json_decref(o);
}

static void
pause_for(double s)
{
	struct timespec ts;

	if (s <= 0)
		return;
	ts.tv_sec = (time_t)s;
	ts.tv_nsec = (long)((s - (double)ts.tv_sec) * 1e9);
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
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
	struct digest dg;
	struct stat st;
	char *url;
	double wait = o->backoff;
	int attempt, rc;

	memset(&p, 0, sizeof p);
	if (fstat(fd, &st) < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s:", sme_filename(path));
	p.fd = fd;
	p.path = path;
	p.name = name;
	p.size = st.st_size;
	memset(&dg, 0, sizeof dg);
	if (!(dg.md = EVP_MD_CTX_new()))
		sme_die(SME_EX_LOCAL, "out of memory");
	pthread_mutex_init(&dg.mu, NULL);
	pthread_cond_init(&dg.cv, NULL);
	p.md = &dg;
	for (attempt = 0;; attempt++) {
		x->err[0] = '\0';
		p.done = 0;
		p.left = 0;
		p.tmp = o->direct ? (char *)name : tmpname(name);
		if (lseek(fd, 0, SEEK_SET) < 0)
			sme_die(SME_EX_LOCAL, "cannot read %s:", sme_filename(path));
		digest_stop(&dg);
		digest_start(&dg, p.size);
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
			sme_warn("%s: %s", url, x->err);
			if (p.left && o->direct)
				sme_warn("%s: may hold a partial file", url);
			free(url);
			digest_free(&dg);
			stale_report(x);
			return rc == SME_XF_AGAIN ? SME_EX_REMOTE : rc;
		}
		sme_warn("%s: %s (retry %d of %d)", url, x->err, attempt + 1,
		    o->retries);
		free(url);
		if (x->connected)
			x->proto->close(x);
		x->connected = 0;
		pause_for(wait);
		wait = wait * 2 > 60 ? 60 : wait * 2;
	}
	receipt(x, &p, now() - x->t0);
	if (p.tmp != name)
		free(p.tmp);
	digest_free(&dg);
	return 0;
}
