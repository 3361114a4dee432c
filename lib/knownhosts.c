/* sme: known_hosts read as OpenSSH reads it: [host]:port, patterns, negation, hashes, @revoked; licence in COPYING */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sme.h"

#define KH_MAX (16u << 20)	/* a larger known_hosts file is refused */

/* '*' any run of characters, '?' any one; s and p NUL-terminated */
static int
glob(const char *s, const char *p)
{
	const char *star = NULL, *back = NULL;

	while (*s) {
		if (*p == '*') {
			star = ++p;
			back = s;
		} else if (*p == '?' || *p == *s) {
			p++;
			s++;
		} else if (star) {
			p = star;
			s = ++back;
		} else {
			return 0;
		}
	}
	while (*p == '*')
		p++;
	return !*p;
}

int
sme_kh_match(const char *name, const char *list)
{
	char pat[1024];
	const char *p = list, *e;
	size_t n, i;
	int neg, positive = 0;

	for (; *p; p = *e ? e + 1 : e) {
		e = p + strcspn(p, ",");
		neg = *p == '!';
		n = (size_t)(e - p) - (size_t)neg;
		if (n >= sizeof pat)
			continue;
		/* patterns are matched without regard to case, as the name */
		for (i = 0; i < n; i++)
			pat[i] = (char)tolower((unsigned char)p[neg + i]);
		pat[n] = '\0';
		if (!glob(name, pat))
			continue;
		if (neg)
			return -1;	/* a negated match: the line is not for name */
		positive = 1;
	}
	return positive;
}

/* base64 to bytes; the length, or -1 */
static long
unb64(const char *s, size_t n, unsigned char **out)
{
	int len, pad = 0;

	if (n == 0 || n % 4 || n > KH_MAX)
		return -1;
	*out = emalloc(n / 4 * 3 + 1);
	if ((len = EVP_DecodeBlock(*out, (const unsigned char *)s, (int)n)) < 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	pad = (s[n - 1] == '=') + (s[n - 2] == '=');
	return (long)len - pad;
}

/* "|1|salt|hash": HMAC-SHA1 of name keyed with salt; 1 when it is name's */
static int
hashed(const char *name, const char *field)
{
	const char *salt = field + 3, *bar = strchr(salt, '|');
	unsigned char *s = NULL, *h = NULL, mac[EVP_MAX_MD_SIZE];
	unsigned int maclen = 0;
	long sl, hl;
	int r = 0;

	if (!bar)
		return 0;
	sl = unb64(salt, (size_t)(bar - salt), &s);
	hl = unb64(bar + 1, strlen(bar + 1), &h);
	if (sl == 20 && hl == 20 && HMAC(EVP_sha1(), s, (int)sl,
	    (const unsigned char *)name, strlen(name), mac, &maclen) &&
	    maclen == 20 && !memcmp(mac, h, 20))
		r = 1;
	free(s);
	free(h);
	return r;
}

/* the key type inside a key blob must be the one the line names */
static int
blob_type(const unsigned char *b, long n, const char *type)
{
	size_t tl;

	if (n < 4)
		return 0;
	tl = (size_t)b[0] << 24 | (size_t)b[1] << 16 | (size_t)b[2] << 8 | b[3];
	return tl <= (size_t)n - 4 && tl == strlen(type) &&
	    !memcmp(b + 4, type, tl);
}

int
sme_kh_load(struct sme_kh *kh, const char *path, const char *host, int port,
    int must, char *err, size_t errlen)
{
	char *buf = NULL, *line, *next, *f[5], name[600], *p;
	struct stat st;
	size_t len = 0, cap = 0, i;
	ssize_t r;
	long bl;
	int fd, nf, revoked, m;
	unsigned char *blob;

	memset(kh, 0, sizeof *kh);
	/* the name OpenSSH looks up: "host" on port 22, else "[host]:port" */
	if (port == 22)
		snprintf(name, sizeof name, "%s", host);
	else
		snprintf(name, sizeof name, "[%s]:%d", host, port);
	for (p = name; *p; p++)
		*p = (char)tolower((unsigned char)*p);
	if ((fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY)) < 0) {
		if (!must && errno == ENOENT)
			return 0;
		snprintf(err, errlen, "cannot read known hosts file %s: %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "known hosts file %s: %s", path,
		    S_ISDIR(st.st_mode) ? "a folder, not a file" :
		    "not a regular file");
		close(fd);
		return -1;
	}
	for (;;) {
		if (len + 65536 + 1 > cap)
			buf = erealloc(buf, cap = (len + 65536 + 1) * 2);
		if ((r = read(fd, buf + len, cap - len - 1)) == 0)
			break;
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0 || len + (size_t)r > KH_MAX) {
			snprintf(err, errlen, r < 0 ? "cannot read known hosts file "
			    "%s: %s" : "known hosts file %s: larger than 16 MiB%s",
			    path, r < 0 ? strerror(errno) : "");
			close(fd);
			free(buf);
			return -1;
		}
		len += (size_t)r;
	}
	close(fd);
	buf = buf ? buf : emalloc(1);
	buf[len] = '\0';
	for (line = buf; line && *line; line = next) {
		if ((next = strchr(line, '\n')) != NULL)
			*next++ = '\0';
		for (nf = 0, p = line; nf < 5;) {
			while (*p == ' ' || *p == '\t' || *p == '\r')
				p++;
			if (!*p || (nf == 0 && *p == '#'))
				break;
			f[nf++] = p;
			p += strcspn(p, " \t\r");
			if (*p)
				*p++ = '\0';
		}
		if (nf < 3)
			continue;
		revoked = 0;
		if (f[0][0] == '@') {
			/* @cert-authority is not supported: such lines trust nothing */
			if (strcmp(f[0], "@revoked") || nf < 4)
				continue;
			revoked = 1;
			memmove(f, f + 1, 3 * sizeof *f);
		}
		if (!strncmp(f[0], "|1|", 3))
			m = hashed(name, f[0]);
		else
			m = sme_kh_match(name, f[0]) == 1;
		if (!m)
			continue;
		if ((bl = unb64(f[2], strlen(f[2]), &blob)) < 0)
			continue;
		if (!blob_type(blob, bl, f[1]) || strlen(f[1]) >= sizeof
		    kh->v[0].type) {
			free(blob);
			continue;
		}
		kh->v = erealloc(kh->v, (kh->n + 1) * sizeof *kh->v);
		i = kh->n++;
		kh->v[i].revoked = revoked;
		snprintf(kh->v[i].type, sizeof kh->v[i].type, "%s", f[1]);
		kh->v[i].blob = blob;
		kh->v[i].len = (size_t)bl;
	}
	free(buf);
	return 0;
}

int
sme_kh_check(const struct sme_kh *kh, const void *key, size_t klen,
    const char *type)
{
	size_t i;
	int rc = SME_KH_UNKNOWN;

	for (i = 0; i < kh->n; i++)
		if (kh->v[i].revoked && kh->v[i].len == klen &&
		    !memcmp(kh->v[i].blob, key, klen))
			return SME_KH_REVOKED;
	for (i = 0; i < kh->n; i++) {
		if (kh->v[i].revoked || strcmp(kh->v[i].type, type))
			continue;
		if (kh->v[i].len == klen && !memcmp(kh->v[i].blob, key, klen))
			return SME_KH_OK;
		rc = SME_KH_CHANGED;	/* this host has another key of the type */
	}
	return rc;
}

int
sme_kh_has_type(const struct sme_kh *kh, const char *type)
{
	size_t i;

	for (i = 0; i < kh->n; i++)
		if (!kh->v[i].revoked && !strcmp(kh->v[i].type, type))
			return 1;
	return 0;
}

void
sme_kh_free(struct sme_kh *kh)
{
	size_t i;

	for (i = 0; i < kh->n; i++)
		free(kh->v[i].blob);
	free(kh->v);
	memset(kh, 0, sizeof *kh);
}
