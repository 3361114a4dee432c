/* sme: messages, exit status and allocation that cannot fail; licence in COPYING */
#include <errno.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sme.h"

const char *sme_prog = "sme";

void
sme_setprog(const char *argv0)
{
	const char *s;

	if (!argv0 || !*argv0)
		return;
	s = strrchr(argv0, '/');
	sme_prog = s ? s + 1 : argv0;
	/* a closed pipe is a write error (exit 6), not a silent signal */
	signal(SIGPIPE, SIG_IGN);
}

const char *
sme_filename(const char *path)
{
	return (!path || !strcmp(path, "-")) ? "<stdin>" : path;
}

void
sme_vwarn(const char *file, long line, const char *fmt, va_list ap)
{
	int saved = errno;
	size_t n = strlen(fmt);

	fflush(stdout);
	fprintf(stderr, "%s: ", sme_prog);
	if (file && line > 0)
		fprintf(stderr, "%s:%ld: ", file, line);
	else if (file)
		fprintf(stderr, "%s: ", file);
	vfprintf(stderr, fmt, ap);
	if (n && fmt[n - 1] == ':')
		fprintf(stderr, " %s", strerror(saved));
	fputc('\n', stderr);
}

void
sme_warn(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sme_vwarn(NULL, 0, fmt, ap);
	va_end(ap);
}

void
sme_warn_at(const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sme_vwarn(file, line, fmt, ap);
	va_end(ap);
}

void
sme_die(int status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sme_vwarn(NULL, 0, fmt, ap);
	va_end(ap);
	exit(status);
}

void
sme_die_at(int status, const char *file, long line, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sme_vwarn(file, line, fmt, ap);
	va_end(ap);
	exit(status);
}

void
sme_usage(const char *usage)
{
	fprintf(stderr, "usage: %s\n", usage);
	exit(SME_EX_USAGE);
}

void
sme_help(const char *usage)
{
	printf("usage: %s\n", usage);
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		sme_die(SME_EX_LOCAL, "write error on standard output:");
	exit(SME_EX_OK);
}

void
sme_version(void)
{
	printf("%s %s\n", sme_prog, SME_VERSION);
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		sme_die(SME_EX_LOCAL, "write error on standard output:");
	exit(SME_EX_OK);
}

const char *
sme_where(char *buf, size_t n, const char *file, long line, const char *here)
{
	if (file && here && strcmp(file, here) != 0)
		snprintf(buf, n, "%s:%ld", file, line);
	else
		snprintf(buf, n, "line %ld", line);
	return buf;
}

void *
emalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (!p)
		sme_die(SME_EX_LOCAL, "out of memory");
	return p;
}

void *
ecalloc(size_t n, size_t m)
{
	void *p = calloc(n ? n : 1, m ? m : 1);

	if (!p)
		sme_die(SME_EX_LOCAL, "out of memory");
	return p;
}

void *
erealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		sme_die(SME_EX_LOCAL, "out of memory");
	return p;
}

char *
estrndup(const char *s, size_t n)
{
	char *p = emalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

char *
estrdup(const char *s)
{
	return estrndup(s, strlen(s));
}
