/* sme: credentials for the smart-me API: API key, OAuth2 client credentials, Basic; licence in COPYING */
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <curl/curl.h>
#include <jansson.h>

#include "sme.h"

static const char *const names[] = {
	"SME_API_KEY", "SME_CLIENT_ID", "SME_CLIENT_SECRET", "SME_USER",
	"SME_PASSWORD"
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int
blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

/* NAME = value lines; # starts a comment line; values are secrets */
static void
loadfile(char *v[5], const char *path)
{
	char *buf, *p, *e, *line, *eq, *k, *ke, *val, *ve;
	const char *flaw;
	size_t len;
	long n = 0;
	int i;

	buf = sme_secret_load(path, "auth", 65536, &len, 1);
	for (p = buf; p < buf + len; p = e + 1) {
		n++;
		if (!(e = memchr(p, '\n', (size_t)(buf + len - p))))
			e = buf + len;
		for (line = p; line < e && blank(*line); line++)
			;
		if (line == e || *line == '#')
			continue;
		if (!(eq = memchr(line, '=', (size_t)(e - line))))
			sme_die_at(SME_EX_USAGE, path, n, "not a NAME = value line");
		k = line;
		for (ke = eq; ke > k && blank(ke[-1]); ke--)
			;
		for (val = eq + 1; val < e && blank(*val); val++)
			;
		for (ve = e; ve > val && blank(ve[-1]); ve--)
			;
		for (i = 0; i < 5; i++)
			if ((size_t)(ke - k) == strlen(names[i]) &&
			    !memcmp(k, names[i], (size_t)(ke - k)))
				break;
		if (i == 5) {
			if (ke - k <= 40 && strspn(k, "ABCDEFGHIJKLMNOPQRSTUVWXYZ_") >= (size_t)(ke - k))
				sme_die_at(SME_EX_USAGE, path, n, "unknown name %.*s "
				    "(SME_API_KEY, SME_CLIENT_ID, SME_CLIENT_SECRET, "
				    "SME_USER or SME_PASSWORD)", (int)(ke - k), k);
			sme_die_at(SME_EX_USAGE, path, n, "not a NAME = value line");
		}
		if ((flaw = sme_secret_flaw(val, (size_t)(ve - val))) != NULL) {
			sme_secret_wipe(buf, len);
			sme_die_at(SME_EX_USAGE, path, n, "%s %s: refused", names[i], flaw);
		}
		if (v[i])
			sme_die_at(SME_EX_USAGE, path, n, "%s given twice", names[i]);
		v[i] = estrndup(val, (size_t)(ve - val));
	}
	sme_secret_wipe(buf, len);
	free(buf);
}

void
sme_auth_load(struct sme_auth *a, const char *file, const char *base,
    const struct sme_http_opt *http)
{
	char *v[5] = { 0 };
	const char *from = file ? file : "the environment";
	const char *ca;
	int i;

	memset(a, 0, sizeof *a);
	a->http = http;
	if (file)
		loadfile(v, file);
	else
		for (i = 0; i < 5; i++)
			v[i] = sme_secret_env(names[i]);
	a->key = v[0];
	a->id = v[1];
	a->secret = v[2];
	a->user = v[3];
	a->password = v[4];
	if (a->key) {
		a->kind = SME_AUTH_KEY;
	} else if (a->id || a->secret) {
		if (!a->id || !a->secret)
			sme_die(SME_EX_USAGE, "%s has %s but not %s", sme_shown(from),
			    a->id ? "SME_CLIENT_ID" : "SME_CLIENT_SECRET",
			    a->id ? "SME_CLIENT_SECRET" : "SME_CLIENT_ID");
		a->kind = SME_AUTH_OAUTH;
	} else if (a->user || a->password) {
		if (!a->user || !a->password)
			sme_die(SME_EX_USAGE, "%s has %s but not %s", sme_shown(from),
			    a->user ? "SME_USER" : "SME_PASSWORD",
			    a->user ? "SME_PASSWORD" : "SME_USER");
		a->kind = SME_AUTH_BASIC;
		sme_warn("warning: basic authentication is deprecated by "
		    "smart-me; use an API key or OAuth client credentials");
	} else {
		sme_die(SME_EX_USAGE, "no credentials: set SME_API_KEY, "
		    "SME_CLIENT_ID and SME_CLIENT_SECRET, or SME_USER and "
		    "SME_PASSWORD, or give -A file");
	}
	a->tokenurl = sme_api_url(base, "/oauth/token");
	a->scope = getenv("SME_OAUTH_SCOPE") ? getenv("SME_OAUTH_SCOPE") :
	    "device.read";
	ca = getenv("SME_OAUTH_CLIENT_AUTH");
	if (ca && strcmp(ca, "basic") && strcmp(ca, "body"))
		sme_die(SME_EX_USAGE, "SME_OAUTH_CLIENT_AUTH: \"basic\" or "
		    "\"body\", not \"%s\"", sme_shown(ca));
	a->bodyauth = ca && !strcmp(ca, "body");
}

void
sme_auth_free(struct sme_auth *a)
{
	sme_secret_free(a->key);
	sme_secret_free(a->id);
	sme_secret_free(a->secret);
	sme_secret_free(a->user);
	sme_secret_free(a->password);
	sme_secret_free(a->token);
	free(a->tokenurl);
	memset(a, 0, sizeof *a);
}

static char *
b64(const char *s, size_t n)
{
	static const char t[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	char *o = emalloc(4 * (n / 3 + 1) + 1), *b = o;
	size_t i;

	for (i = 0; i + 2 < n; i += 3) {
		unsigned x = (unsigned char)s[i] << 16 | (unsigned char)s[i + 1] << 8 |
		    (unsigned char)s[i + 2];
		*o++ = t[x >> 18];
		*o++ = t[x >> 12 & 63];
		*o++ = t[x >> 6 & 63];
		*o++ = t[x & 63];
	}
	if (i < n) {
		unsigned x = (unsigned char)s[i] << 16 |
		    (i + 1 < n ? (unsigned char)s[i + 1] << 8 : 0);
		*o++ = t[x >> 18];
		*o++ = t[x >> 12 & 63];
		*o++ = i + 1 < n ? t[x >> 6 & 63] : '=';
		*o++ = '=';
	}
	*o = '\0';
	return b;
}

/* "prefix" + s, as a secret */
static char *
cat(const char *prefix, const char *s)
{
	char *o = emalloc(strlen(prefix) + strlen(s) + 1);

	strcpy(o, prefix);
	strcat(o, s);
	return o;
}

static char *
pair(const char *u, const char *p)
{
	char *up = emalloc(strlen(u) + strlen(p) + 2), *r;

	sprintf(up, "%s:%s", u, p);
	r = b64(up, strlen(up));
	sme_secret_free(up);
	return r;
}

struct buf {
	char *p;
	size_t n;
};

static size_t
on_data(char *p, size_t size, size_t n, void *arg)
{
	struct buf *b = arg;
	size_t len = size * n;

	if (b->n + len > 65536)
		return 0;
	b->p = erealloc(b->p, b->n + len + 1);
	memcpy(b->p + b->n, p, len);
	b->n += len;
	b->p[b->n] = '\0';
	return len;
}

/* POST /oauth/token with client credentials; exits 5 when refused */
static void
gettoken(struct sme_auth *a)
{
	char err[CURL_ERROR_SIZE], *form, *eid, *esec, *escope, *h = NULL, *b;
	struct curl_slist *hdr = NULL;
	struct buf body = { 0 };
	const char *tok;
	json_t *j = NULL, *v;
	long status = 0, attempt;
	long long ttl = 3600;
	CURLcode rc = CURLE_OK;
	CURL *c;

	escope = sme_api_esc(a->scope);
	if (a->bodyauth) {
		eid = sme_api_esc(a->id);
		esec = sme_api_esc(a->secret);
		form = emalloc(strlen(eid) + strlen(esec) + strlen(escope) + 80);
		sprintf(form, "grant_type=client_credentials&scope=%s&client_id=%s"
		    "&client_secret=%s", escope, eid, esec);
		sme_secret_free(eid);
		sme_secret_free(esec);
	} else {
		form = emalloc(strlen(escope) + 64);
		sprintf(form, "grant_type=client_credentials&scope=%s", escope);
		b = pair(a->id, a->secret);
		h = cat("Authorization: Basic ", b);
		sme_secret_free(b);
		hdr = curl_slist_append(hdr, h);
		sme_secret_free(h);
	}
	free(escope);
	hdr = curl_slist_append(hdr, "Accept: application/json");
	if (!(c = curl_easy_init()))
		sme_die(SME_EX_LOCAL, "cannot initialise libcurl");
	for (attempt = 0; attempt <= a->http->retries; attempt++) {
		if (attempt) {
			struct timespec ts;
			double d = a->http->backoff * (double)(1L << (attempt - 1));

			ts.tv_sec = (time_t)d;
			ts.tv_nsec = (long)((d - (double)ts.tv_sec) * 1e9);
			nanosleep(&ts, NULL);
		}
		body.n = 0;
		err[0] = '\0';
		curl_easy_reset(c);
		curl_easy_setopt(c, CURLOPT_URL, a->tokenurl);
		curl_easy_setopt(c, CURLOPT_ERRORBUFFER, err);
		curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
		curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
		curl_easy_setopt(c, CURLOPT_PROXY, "");
		curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
		curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, a->http->timeout);
		curl_easy_setopt(c, CURLOPT_TIMEOUT, 2 * a->http->timeout);
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, hdr);
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, form);
		curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_data);
		curl_easy_setopt(c, CURLOPT_WRITEDATA, &body);
		curl_easy_setopt(c, CURLOPT_USERAGENT, "sme/" SME_VERSION);
		if (a->http->cafile)
			curl_easy_setopt(c, CURLOPT_CAINFO, a->http->cafile);
		rc = curl_easy_perform(c);
		status = 0;
		curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &status);
		if (rc == CURLE_OK && status != 429 && status < 500)
			break;
	}
	for (struct curl_slist *l = hdr; l; l = l->next)
		sme_secret_wipe(l->data, strlen(l->data));
	curl_slist_free_all(hdr);
	curl_easy_cleanup(c);
	sme_secret_wipe(form, strlen(form));
	free(form);
	if (rc != CURLE_OK) {
		err[strcspn(err, "\r\n")] = '\0';
		sme_die(SME_EX_REMOTE, "%s: %s", sme_shown(a->tokenurl), err[0] ? sme_shown(err) :
		    curl_easy_strerror(rc));
	}
	if (status == 400 || status == 401 || status == 403)
		sme_die(SME_EX_SAFETY, "%s: the client id or secret was refused "
		    "(HTTP %ld)", sme_shown(a->tokenurl), status);
	if (status != 200)
		sme_die(SME_EX_REMOTE, "%s: HTTP %ld", sme_shown(a->tokenurl), status);
	if (body.p)
		j = sme_api_parse(body.p, body.n);
	if (body.p) {
		sme_secret_wipe(body.p, body.n);
		free(body.p);
	}
	if (!j || !(tok = sme_api_str(sme_api_get(j, "access_token"))) || !*tok ||
	    sme_secret_clean(tok, strlen(tok)) < 0)
		sme_die(SME_EX_REMOTE, "%s: no access_token in the reply",
		    sme_shown(a->tokenurl));
	if ((v = sme_api_get(j, "expires_in")) && sme_api_int(v, &ttl) < 0)
		ttl = 3600;
	if (ttl < 1)
		ttl = 1;
	sme_secret_free(a->token);
	a->token = estrdup(tok);
	/* a token is used until a minute before it expires (at most 10 %) */
	a->expires = now() + (double)ttl - (ttl > 600 ? 60 : (double)ttl / 10);
	a->generation++;
	sme_secret_wipe((char *)tok, strlen(tok));
	json_decref(j);
}

struct curl_slist *
sme_auth_headers(struct sme_auth *a, long *generation)
{
	struct curl_slist *l = NULL;
	char *h = NULL, *b;

	switch (a->kind) {
	case SME_AUTH_KEY:
		h = cat("Authorization: ApiKey ", a->key);
		break;
	case SME_AUTH_OAUTH:
		if (!a->token || now() >= a->expires)
			gettoken(a);
		h = cat("Authorization: Bearer ", a->token);
		break;
	case SME_AUTH_BASIC:
		b = pair(a->user, a->password);
		h = cat("Authorization: Basic ", b);
		sme_secret_free(b);
		break;
	}
	*generation = a->generation;
	l = curl_slist_append(l, h);
	sme_secret_free(h);
	l = curl_slist_append(l, "Accept: application/json");
	if (!l)
		sme_die(SME_EX_LOCAL, "out of memory");
	return l;
}

int
sme_auth_refresh(struct sme_auth *a, long generation)
{
	if (a->kind != SME_AUTH_OAUTH)
		return 0;
	if (generation == a->generation)
		gettoken(a);
	return 1;
}
