/* sme: URLs of the places files are delivered to: parsed, checked, printed without secrets; licence in COPYING */
#include <arpa/inet.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

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
	snprintf(err, errlen, fmt, sme_shown(arg));
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
	unsigned char v6[16];

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
		    "ftpes, sftp or file)", sme_shown(raw));
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
		/* "u%3Asecret@": FTP would send USER u:secret */
		if (strchr(u->user, ':'))
			return urlerr(err, errlen, "password in the url refused "
			    "(a %%3A in the user name): give it in "
			    "SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc%s", "");
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
		/* only an IPv6 address goes in brackets ("[h:secret]" is none) */
		if (inet_pton(AF_INET6, u->host, v6) != 1)
			return urlerr(err, errlen, "bad host in url: not an IPv6 "
			    "address in brackets%s", "");
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
			/* "u@h:secret/": what stands there is not repeated */
			snprintf(err, errlen, "bad port in url (want 1 to 65535 "
			    "after the host's ':'; a password goes in "
			    "SME_UPLOAD_PASSWORD, a file (-P) or ~/.netrc)");
			free(raw);
			return -1;
		}
		free(raw);
		u->port = (int)port;
		u->portgiven = 1;
	}
	/* names and IPv4 (letters, digits, '-', '.', '_'); IPv6 in brackets */
	for (i = 0; u->host[i]; i++)
		if (!isalnum((unsigned char)u->host[i]) &&
		    !strchr(*h == '[' ? ":." : "-._", u->host[i]))
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
