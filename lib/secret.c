/* sme: secrets (passwords, passphrases, API keys, tokens) read, checked and wiped; licence in COPYING */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
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

char *
sme_secret_load(const char *path, const char *what, size_t max, size_t *lenp,
    int private)
{
	struct stat st;
	char *buf;
	size_t len = 0;
	ssize_t r;
	int fd, e;

	/* O_NONBLOCK: a FIFO named as a secret file must not hang the open */
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK)) < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s file %s:", what, sme_shown(path));
	if (fstat(fd, &st) < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s file %s:", what, sme_shown(path));
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		sme_die(SME_EX_LOCAL, "%s file %s: not a regular file", what,
		    sme_shown(path));
	}
	if (private && (st.st_mode & 077)) {
		close(fd);
		sme_die(SME_EX_SAFETY, "%s file %s: others can read it (mode "
		    "%03o): refused; chmod 600 it", what, sme_shown(path), (unsigned)(st.st_mode & 0777));
	}
	if ((size_t)st.st_size > max) {
		close(fd);
		sme_die(SME_EX_LOCAL, "%s file %s: larger than %zu bytes", what,
		    sme_shown(path), max);
	}
	buf = emalloc(max + 1);
	while (len < max && (r = read(fd, buf + len, max - len)) != 0) {
		if (r < 0) {
			if (errno == EINTR)
				continue;
			e = errno;
			close(fd);
			sme_secret_wipe(buf, max + 1);
			free(buf);
			errno = e;
			sme_die(SME_EX_LOCAL, "cannot read %s file %s:", what, sme_shown(path));
		}
		len += (size_t)r;
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
