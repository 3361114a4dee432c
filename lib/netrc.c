/* sme: logins and passwords from ~/.netrc, read as a secret; licence in COPYING */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sme.h"

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

/* a login or password with CR, LF or NUL would end an FTP command early */
static void
netrc_clean(const char *path, const char *what, const char *v, char *buf,
    size_t len)
{
	/* an empty password may be right; an empty login sends "USER " */
	if (sme_secret_clean(v, strlen(v)) == 0 && (*v || *what == 'p'))
		return;
	int empty = !*v;

	sme_secret_wipe(buf, len);
	free(buf);
	if (empty)
		sme_die(SME_EX_USAGE, "%s: empty %s: refused", sme_shown(path), what);
	sme_die(SME_EX_USAGE, "%s: a %s holds a line break: refused", sme_shown(path), what);
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
	if (stat(path, &st) < 0 && errno == ENOENT)
		return -1;
	/* as ftp(1): passwords others can read are refused (exit 5) */
	buf = sme_secret_load(path, "netrc", 1 << 20, &len, 1);
	if (memchr(buf, '\0', len)) {
		sme_secret_wipe(buf, len);
		free(buf);
		sme_die(SME_EX_USAGE, "%s: holds a NUL byte: refused", sme_shown(path));
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
			if (!l)
				l = "";
		} else if (!strcmp(t, "password")) {
			pw = netrc_token(&s, &eol, 1);
			if (!pw)
				pw = "";
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
		if (l)
			netrc_clean(path, "login", l, buf, len);
		if (pw)
			netrc_clean(path, "password", pw, buf, len);
		*login = l ? estrdup(l) : NULL;
		*password = pw ? estrdup(pw) : NULL;
	}
	sme_secret_wipe(buf, len);
	free(buf);
	return found;
}
