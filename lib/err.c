/* sme: messages, exit status and allocation that cannot fail; licence in COPYING */
#include <errno.h>
#include <getopt.h>
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

/*
 * The length of the well-formed UTF-8 character at u (n bytes left); 0 for
 * a byte that is not UTF-8 (overlong forms, surrogates, beyond U+10FFFF, a
 * cut sequence).
 */
static size_t
utf8len(const unsigned char *u, size_t n)
{
	size_t k, i;

	k = *u < 0x80 ? 1 : *u >= 0xc2 && *u <= 0xdf ? 2 :
	    (*u & 0xf0) == 0xe0 ? 3 : *u >= 0xf0 && *u <= 0xf4 ? 4 : 0;
	if (k > n)
		return 0;
	for (i = 1; i < k; i++)
		if ((u[i] & 0xc0) != 0x80)
			return 0;
	if (k == 3 && ((u[0] == 0xe0 && u[1] < 0xa0) || (u[0] == 0xed && u[1] >= 0xa0)))
		return 0;
	if (k == 4 && ((u[0] == 0xf0 && u[1] < 0x90) || (u[0] == 0xf4 && u[1] >= 0x90)))
		return 0;
	return k;
}

/*
 * The length of a UTF-8 character at u (n bytes left) that may stand as it
 * is in a message; 0 for one to escape: a control (C0, DEL, C1), the line
 * and paragraph separators and bidirectional controls (U+2028 to U+202E,
 * U+2066 to U+2069), a backslash, a byte that is not UTF-8.
 */
static size_t
plain(const unsigned char *u, size_t n)
{
	size_t k = utf8len(u, n);

	if (k == 1 && (*u < 0x20 || *u == 0x7f || *u == '\\'))
		return 0;
	if (k == 2 && u[0] == 0xc2 && u[1] < 0xa0)
		return 0;
	if (k == 3 && ((u[0] == 0xe2 && u[1] == 0x80 && u[2] >= 0xa8 && u[2] <= 0xae) ||
	    (u[0] == 0xe2 && u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)))
		return 0;
	return k;
}

/* what escape() may write for n bytes, at most max characters (0: all) */
static size_t
room(size_t n, size_t max)
{
	return 4 * (max && max < n ? max : n) + 4;
}

/*
 * s's n bytes, escaped, at most max characters (0: all), into o.  A
 * UTF-8 character shown as it is counts one, an escaped byte one; a UTF-8
 * character escaped byte by byte (U+202E: \xe2\x80\xae) counts its
 * bytes and is never cut: if it does not fit, the cut comes before it.
 */
static char *
escape(char *o, const char *s, size_t n, size_t max)
{
	const unsigned char *u = (const unsigned char *)s, *e = u + n;
	size_t k, i, nch = 0;
	char *p = o;

	for (; u < e && (!max || nch < max); u += k, nch++) {
		if ((k = plain(u, (size_t)(e - u))) > 0) {
			memcpy(p, u, k);
			p += k;
			continue;
		}
		if ((k = utf8len(u, (size_t)(e - u))) > 1) {
			if (max && nch + k > max)
				break;
			nch += k - 1;
			for (i = 0; i < k; i++) {
				*p++ = '\\';
				*p++ = 'x';
				*p++ = "0123456789abcdef"[u[i] >> 4];
				*p++ = "0123456789abcdef"[u[i] & 15];
			}
			continue;
		}
		k = 1;
		*p++ = '\\';
		switch (*u) {
		case '\\':	*p++ = '\\'; break;
		case '\n':	*p++ = 'n'; break;
		case '\r':	*p++ = 'r'; break;
		case '\t':	*p++ = 't'; break;
		case 0x1b:	*p++ = 'e'; break;
		default:
			*p++ = 'x';
			*p++ = "0123456789abcdef"[*u >> 4];
			*p++ = "0123456789abcdef"[*u & 15];
		}
	}
	if (u < e) {
		memcpy(p, "...", 3);
		p += 3;
	}
	*p = '\0';
	return o;
}

/* the next of eight buffers, of at least need bytes */
static char *
slot(size_t need)
{
	static struct {
		char *p;
		size_t cap;
	} ring[8];
	static unsigned next;
	unsigned i = next++ & 7;
	int e = errno;		/* for the message's ": reason" */

	if (ring[i].cap < need) {
		free(ring[i].p);
		ring[i].p = emalloc(need);
		ring[i].cap = need;
	}
	errno = e;
	return ring[i].p;
}

const char *
sme_shown_n(const char *s, size_t n, size_t max)
{
	if (!s) {
		s = "";
		n = 0;
	}
	return escape(slot(room(n, max)), s, n, max);
}

const char *
sme_shown(const char *s)
{
	return sme_shown_n(s, s ? strlen(s) : 0, 0);
}

const char *
sme_shown_cut(const char *s)
{
	return sme_shown_n(s, s ? strlen(s) : 0, SME_SHOWN_MAX);
}

void
sme_vwarn(const char *file, long line, const char *fmt, va_list ap)
{
	static char *fbuf;
	static size_t fcap;
	int saved = errno;
	size_t n = strlen(fmt), len;

	/* not in the ring, which the arguments may fill; before anything is printed */
	if (file) {
		len = strlen(file);
		if (fcap < room(len, 0)) {
			free(fbuf);
			fcap = room(len, 0);
			fbuf = emalloc(fcap);
		}
		file = escape(fbuf, file, len, 0);
	}
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

/*
 * getopt_long (getopt when longs is NULL) saying what is wrong in getopt's
 * words, but with the option escaped: an argument may hold anything.
 */
int
sme_getopt(int argc, char *const argv[], const char *opts,
    const struct option *longs)
{
	const char *arg, *p;
	char ch;
	int c;

	opterr = 0;
	c = longs ? getopt_long(argc, argv, opts, longs, NULL) :
	    getopt(argc, argv, opts);
	if (c != '?')
		return c;
	arg = optind > 0 && optind <= argc ? argv[optind - 1] : "";
	for (; longs && optopt && longs->name && longs->val != optopt; longs++)
		;
	ch = (char)optopt;
	if (!optopt)
		sme_warn("unrecognized option '%s'", sme_shown(arg));
	else if (longs && longs->name && !strncmp(arg, "--", 2))
		sme_warn("option '--%s' %s", longs->name, longs->has_arg ==
		    no_argument ? "doesn't allow an argument" : "requires an argument");
	else if ((p = strchr(opts, optopt)) && p[1] == ':')
		sme_warn("option requires an argument -- '%s'", sme_shown_n(&ch, 1, 0));
	else
		sme_warn("invalid option -- '%s'", sme_shown_n(&ch, 1, 0));
	return c;
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
	size_t len;
	char *p;

	if (file && here && strcmp(file, here) != 0) {
		len = strlen(file);
		p = escape(slot(room(len, 0) + 24), file, len, 0);
		sprintf(p + strlen(p), ":%ld", line);
		return p;
	}
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
