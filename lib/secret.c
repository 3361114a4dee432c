/* sme: secrets (passwords, passphrases, API keys, tokens) read, checked and wiped; licence in COPYING */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <poll.h>
#include <stdarg.h>
#include <time.h>
#include <malloc.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"

void
sme_secret_wipe(void *p, size_t n)
{
	volatile unsigned char *v = p;

	while (n--)
		*v++ = 0;
}

void
sme_secret_free(char *s)
{
	if (!s)
		return;
	sme_secret_wipe(s, strlen(s));
	free(s);
}

void
sme_secret_freemem(void *p)
{
	if (!p)
		return;
	sme_secret_wipe(p, malloc_usable_size(p));
	free(p);
}

void *
sme_secret_realloc(void *p, size_t n)
{
	size_t old;
	void *q;

	if (!p)
		return malloc(n ? n : 1);
	old = malloc_usable_size(p);
	if (n <= old)
		return p;
	if (!(q = malloc(n)))
		return NULL;
	memcpy(q, p, old);
	sme_secret_freemem(p);
	return q;
}

void
sme_secret_protect(void)
{
	struct rlimit rl = { 0, 0 };

	/* no core file, and no ptrace by other processes of the same user */
	setrlimit(RLIMIT_CORE, &rl);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
}

int
sme_secret_clean(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (s[i] == '\r' || s[i] == '\n' || s[i] == '\0')
			return -1;
	return 0;
}

const char *
sme_secret_flaw(const char *s, size_t n)
{
	if (n == 0)
		return "is empty";
	if (memchr(s, '\0', n))
		return "holds a NUL byte";
	if (memchr(s, '\r', n))
		return "holds a carriage return";
	if (memchr(s, '\n', n))
		return "holds a line feed";
	return NULL;
}

char *
sme_secret_env(const char *name)
{
	const char *v = getenv(name);

	if (!v)
		return NULL;
	if (sme_secret_clean(v, strlen(v)) < 0)
		sme_die(SME_EX_USAGE, "%s holds a line break: refused", name);
	return estrdup(v);
}

/* read(2) that wipes buf and dies on an error */
static ssize_t
readsome(int fd, char *buf, size_t n, char *whole, size_t wholen,
    const char *what, const char *path)
{
	ssize_t r;
	int e;

	while ((r = read(fd, buf, n)) < 0 && errno == EINTR)
		;
	if (r < 0 && errno != EAGAIN) {
		e = errno;
		close(fd);
		sme_secret_wipe(whole, wholen);
		free(whole);
		errno = e;
		sme_die(SME_EX_LOCAL, "cannot read %s file %s:", what, sme_shown(path));
	}
	return r;
}

_Noreturn static void
loadfail(int fd, char *buf, size_t n, int code, const char *fmt, ...)
{
	va_list ap;

	close(fd);
	sme_secret_wipe(buf, n);
	free(buf);
	va_start(ap, fmt);
	sme_vwarn(NULL, 0, fmt, ap);
	va_end(ap);
	exit(code);
}

char *
sme_secret_load(const char *path, const char *what, size_t max, size_t *lenp,
    int private)
{
	struct stat st;
	struct pollfd pfd;
	struct timespec now, end;
	char *buf, extra;
	size_t len = 0;
	ssize_t r;
	long ms;
	int fd, fifo;

	/* O_NONBLOCK: a FIFO named as a secret file must not hang the open */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s file %s:", what, sme_shown(path));
	if (fstat(fd, &st) < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s file %s:", what, sme_shown(path));
	fifo = S_ISFIFO(st.st_mode);
	if (!S_ISREG(st.st_mode) && !fifo) {
		close(fd);
		sme_die(SME_EX_LOCAL, "%s file %s: not a regular file", what,
		    sme_shown(path));
	}
	/* a pipe of the shell's <(...) is mode 600; a named FIFO has the mode it was given */
	if (private && (st.st_mode & 077)) {
		close(fd);
		sme_die(SME_EX_SAFETY, "%s file %s: others can read it (mode "
		    "%03o): refused; chmod 600 it", what, sme_shown(path), (unsigned)(st.st_mode & 0777));
	}
	if (!fifo && (size_t)st.st_size > max) {
		close(fd);
		sme_die(SME_EX_LOCAL, "%s file %s: larger than %zu bytes", what,
		    sme_shown(path), max);
	}
	buf = emalloc(max + 1);
	if (!fifo) {
		while (len < max && (r = readsome(fd, buf + len, max - len, buf, max + 1,
		    what, path)) != 0)
			if (r > 0)
				len += (size_t)r;
	} else {
		/* a pipe: all of it, up to its end, within SME_SECRET_WAIT seconds */
		clock_gettime(CLOCK_MONOTONIC, &end);
		end.tv_sec += SME_SECRET_WAIT;
		for (;;) {
			clock_gettime(CLOCK_MONOTONIC, &now);
			ms = (long)(end.tv_sec - now.tv_sec) * 1000 +
			    (end.tv_nsec - now.tv_nsec) / 1000000;
			if (ms <= 0)
				loadfail(fd, buf, max + 1, SME_EX_LOCAL, "%s file %s: %s within %d s",
				    what, sme_shown(path), len ? "no end of the data" : "no data",
				    SME_SECRET_WAIT);
			pfd.fd = fd;
			pfd.events = POLLIN;
			if (poll(&pfd, 1, (int)ms) < 0) {
				if (errno == EINTR && sme_sig_caught()) {
					close(fd);
					sme_secret_wipe(buf, max + 1);
					free(buf);
					sme_sig_die();
				}
				if (errno == EINTR)
					continue;
				loadfail(fd, buf, max + 1, SME_EX_LOCAL, "cannot read %s file %s:",
				    what, sme_shown(path));
			}
			if (!pfd.revents)
				continue;
			/* a FIFO no writer has opened yet reads as its end: wait on */
			if (len < max)
				r = readsome(fd, buf + len, max - len, buf, max + 1, what, path);
			else
				r = readsome(fd, &extra, 1, buf, max + 1, what, path);
			if (r == 0 && (pfd.revents & POLLHUP))
				break;
			if (r > 0 && len == max)
				loadfail(fd, buf, max + 1, SME_EX_LOCAL, "%s file %s: larger than %zu bytes",
				    what, sme_shown(path), max);
			if (r > 0)
				len += (size_t)r;
		}
	}
	close(fd);
	buf[len] = '\0';
	*lenp = len;
	return buf;
}

char *
sme_secret_file(const char *path, const char *what)
{
	char *buf, *s;
	size_t len, n;

	buf = sme_secret_load(path, what, 4096, &len, 0);
	/* the first line, without its LF or CRLF */
	n = 0;
	while (n < len && buf[n] != '\n')
		n++;
	if (n > 0 && buf[n - 1] == '\r')
		n--;
	if (n == 0 || sme_secret_clean(buf, n) < 0) {
		sme_secret_wipe(buf, len);
		free(buf);
		if (n == 0)
			sme_die(SME_EX_USAGE, "%s file %s: no %s on its first line",
			    what, sme_shown(path), what);
		sme_die(SME_EX_USAGE, "%s file %s: the %s holds a carriage "
		    "return or NUL: refused", what, sme_shown(path), what);
	}
	s = estrndup(buf, n);
	sme_secret_wipe(buf, len);
	free(buf);
	return s;
}
