/* sme: HTTP requests, many at once, through the libcurl multi interface; licence in COPYING */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "sme.h"

struct slot {
	CURL *h;
	struct sme_http_req *rq;
	struct curl_slist *hdr;
	char errbuf[CURL_ERROR_SIZE];
};

struct sme_http {
	struct sme_http_opt o;
	CURLM *m;
	struct slot *slots;	/* o.jobs of them; an easy handle each, reused */
	int nbusy;
	struct sme_http_req *qhead, *qtail;	/* waiting to start */
	struct sme_http_req *later;		/* retries, waiting for their time */
	long nreq, ndone;
};

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

struct sme_http *
sme_http_new(const struct sme_http_opt *o)
{
	static int inited;
	struct sme_http *h = ecalloc(1, sizeof *h);
	int i;

	if (!inited++ && curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK)
		sme_die(SME_EX_LOCAL, "cannot initialise libcurl");
	h->o = *o;
	if (h->o.jobs < 1)
		h->o.jobs = 1;
	if (!(h->m = curl_multi_init()))
		sme_die(SME_EX_LOCAL, "cannot initialise libcurl");
	curl_multi_setopt(h->m, CURLMOPT_MAX_HOST_CONNECTIONS, (long)h->o.jobs);
	curl_multi_setopt(h->m, CURLMOPT_MAXCONNECTS, (long)h->o.jobs);
	h->slots = ecalloc((size_t)h->o.jobs, sizeof *h->slots);
	for (i = 0; i < h->o.jobs; i++)
		if (!(h->slots[i].h = curl_easy_init()))
			sme_die(SME_EX_LOCAL, "cannot initialise libcurl");
	srand((unsigned)(time(NULL) ^ (long)getpid()));
	return h;
}

void
sme_http_free(struct sme_http *h)
{
	int i;

	if (!h)
		return;
	for (i = 0; i < h->o.jobs; i++)
		curl_easy_cleanup(h->slots[i].h);
	curl_multi_cleanup(h->m);
	free(h->slots);
	free(h);
}

struct sme_http_req *
sme_http_req_new(const char *url, void (*done)(struct sme_http_req *),
    void *arg)
{
	struct sme_http_req *rq = ecalloc(1, sizeof *rq);

	rq->url = estrdup(url);
	rq->done = done;
	rq->arg = arg;
	return rq;
}

void
sme_http_req_free(struct sme_http_req *rq)
{
	if (!rq)
		return;
	free(rq->url);
	if (rq->post) {
		sme_secret_wipe(rq->post, strlen(rq->post));
		free(rq->post);
	}
	free(rq->body);
	free(rq);
}

void
sme_http_add(struct sme_http *h, struct sme_http_req *rq)
{
	rq->next = NULL;
	if (h->qtail)
		h->qtail->next = rq;
	else
		h->qhead = rq;
	h->qtail = rq;
	h->nreq++;
}

/* the front of the queue: retries first come back to it when due */
static void
addfront(struct sme_http *h, struct sme_http_req *rq)
{
	rq->next = h->qhead;
	h->qhead = rq;
	if (!h->qtail)
		h->qtail = rq;
}

static size_t
on_body(char *p, size_t size, size_t n, void *arg)
{
	struct sme_http_req *rq = arg;
	size_t len = size * n;

	if (rq->len + len > rq->max)
		return 0;	/* too large: the transfer fails */
	if (rq->len + len + 1 > rq->cap) {
		rq->cap = rq->cap ? rq->cap : 16384;
		while (rq->cap < rq->len + len + 1)
			rq->cap *= 2;
		rq->body = erealloc(rq->body, rq->cap);
	}
	memcpy(rq->body + rq->len, p, len);
	rq->len += len;
	rq->body[rq->len] = '\0';
	return len;
}

static size_t
on_header(char *p, size_t size, size_t n, void *arg)
{
	struct sme_http_req *rq = arg;
	size_t len = size * n;
	char v[64];
	size_t i, k;
	time_t t;

	if (len > 12 && !strncasecmp(p, "retry-after:", 12)) {
		for (i = 12; i < len && (p[i] == ' ' || p[i] == '\t'); i++)
			;
		for (k = 0; i < len && p[i] != '\r' && p[i] != '\n' &&
		    k < sizeof v - 1; i++)
			v[k++] = p[i];
		v[k] = '\0';
		if (k && strspn(v, "0123456789") == k) {
			rq->retry_after = strtod(v, NULL);
		} else if ((t = curl_getdate(v, NULL)) > 0) {
			rq->retry_after = difftime(t, time(NULL));
			if (rq->retry_after < 0)
				rq->retry_after = 0;
		}
	} else if (len >= 13 && !strncasecmp(p, "content-type:", 13)) {
		for (i = 13; i < len && (p[i] == ' ' || p[i] == '\t'); i++)
			;
		for (k = 0; i < len && p[i] != '\r' && p[i] != '\n' &&
		    k < sizeof rq->ctype - 1; i++)
			rq->ctype[k++] = p[i];
		rq->ctype[k] = '\0';
	}
	return len;
}

static void
start(struct sme_http *h, struct slot *s, struct sme_http_req *rq)
{
	CURL *c = s->h;

	curl_easy_reset(c);
	rq->len = 0;
	rq->status = 0;
	rq->retry_after = -1;
	rq->ctype[0] = '\0';
	rq->err[0] = '\0';
	if (!rq->max)
		rq->max = h->o.maxbody ? h->o.maxbody : 64u << 20;
	if (!rq->t0)
		rq->t0 = now();
	rq->attempt++;
	s->rq = rq;
	s->errbuf[0] = '\0';
	s->hdr = h->o.headers ? h->o.headers(rq, h->o.arg) : NULL;
	curl_easy_setopt(c, CURLOPT_URL, rq->url);
	curl_easy_setopt(c, CURLOPT_PRIVATE, s);
	curl_easy_setopt(c, CURLOPT_ERRORBUFFER, s->errbuf);
	curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(c, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
	/* never a proxy from the environment: it would see the credentials */
	curl_easy_setopt(c, CURLOPT_PROXY, "");
	curl_easy_setopt(c, CURLOPT_NETRC, (long)CURL_NETRC_IGNORED);
	curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(c, CURLOPT_PIPEWAIT, 1L);
	curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, "");
	curl_easy_setopt(c, CURLOPT_TCP_NODELAY, 1L);
	curl_easy_setopt(c, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT, h->o.timeout);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
	curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, h->o.timeout);
	curl_easy_setopt(c, CURLOPT_TIMEOUT, 4 * h->o.timeout);
	curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(c, CURLOPT_WRITEDATA, rq);
	curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(c, CURLOPT_HEADERDATA, rq);
	curl_easy_setopt(c, CURLOPT_USERAGENT, "sme/" SME_VERSION);
	if (s->hdr)
		curl_easy_setopt(c, CURLOPT_HTTPHEADER, s->hdr);
	if (rq->post)
		curl_easy_setopt(c, CURLOPT_POSTFIELDS, rq->post);
	if (h->o.cafile)
		curl_easy_setopt(c, CURLOPT_CAINFO, h->o.cafile);
	if (curl_multi_add_handle(h->m, c) != CURLM_OK)
		sme_die(SME_EX_LOCAL, "cannot start a transfer");
	h->nbusy++;
}

static int
transient(CURLcode rc)
{
	switch (rc) {
	case CURLE_COULDNT_CONNECT:
	case CURLE_OPERATION_TIMEDOUT:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_GOT_NOTHING:
	case CURLE_PARTIAL_FILE:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_COULDNT_RESOLVE_HOST:
		return 1;
	default:
		return 0;
	}
}

static int
retryable(long status)
{
	return status == 429 || status == 500 || status == 502 ||
	    status == 503 || status == 504;
}

/* schedule a retry, or 0 when the budget is spent */
static int
retry(struct sme_http *h, struct sme_http_req *rq)
{
	double d, j;

	if (rq->attempt > h->o.retries)
		return 0;
	/* exponential backoff with jitter: base * 2^(n-1) * [0.5, 1.5) */
	j = 0.5 + (double)rand() / ((double)RAND_MAX + 1);
	d = h->o.backoff * (double)(1L << (rq->attempt - 1 < 20 ? rq->attempt - 1 : 20)) * j;
	if (rq->retry_after >= 0)
		d = rq->retry_after > d ? rq->retry_after : d;
	if (d > h->o.maxwait || now() + d - rq->t0 > h->o.maxtime)
		return 0;
	rq->when = now() + d;
	rq->next = h->later;
	h->later = rq;
	return 1;
}

static void
finish(struct sme_http *h, struct slot *s, CURLcode rc)
{
	struct sme_http_req *rq = s->rq;
	struct curl_slist *l;
	long status = 0;

	curl_multi_remove_handle(h->m, s->h);
	h->nbusy--;
	s->rq = NULL;
	for (l = s->hdr; l; l = l->next)
		sme_secret_wipe(l->data, strlen(l->data));
	curl_slist_free_all(s->hdr);
	s->hdr = NULL;
	curl_easy_getinfo(s->h, CURLINFO_RESPONSE_CODE, &status);
	rq->status = rc == CURLE_OK ? status : 0;
	if (rc != CURLE_OK) {
		if (rc == CURLE_WRITE_ERROR)
			snprintf(rq->err, sizeof rq->err, "reply larger than %zu bytes",
			    rq->max);
		else
			snprintf(rq->err, sizeof rq->err, "%s", s->errbuf[0] ?
			    s->errbuf : curl_easy_strerror(rc));
		/* no message of libcurl may carry a line break to stderr */
		rq->err[strcspn(rq->err, "\r\n")] = '\0';
		if (transient(rc) && retry(h, rq))
			return;
	} else if (retryable(status) && retry(h, rq)) {
		return;
	}
	h->ndone++;
	rq->done(rq);
	sme_http_req_free(rq);
}

void
sme_http_run(struct sme_http *h)
{
	struct sme_http_req *rq, **pp;
	CURLMsg *msg;
	double t, wait;
	int running, left, i;

	for (;;) {
		/* retries that are due go to the front of the queue */
		t = now();
		for (pp = &h->later; (rq = *pp);) {
			if (rq->when <= t) {
				*pp = rq->next;
				addfront(h, rq);
			} else {
				pp = &rq->next;
			}
		}
		for (i = 0; i < h->o.jobs && h->qhead; i++) {
			if (h->slots[i].rq)
				continue;
			rq = h->qhead;
			h->qhead = rq->next;
			if (!h->qhead)
				h->qtail = NULL;
			start(h, &h->slots[i], rq);
		}
		if (!h->nbusy && !h->later && !h->qhead)
			break;
		if (curl_multi_perform(h->m, &running) != CURLM_OK)
			sme_die(SME_EX_LOCAL, "libcurl failed");
		while ((msg = curl_multi_info_read(h->m, &left))) {
			struct slot *s;

			if (msg->msg != CURLMSG_DONE)
				continue;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&s);
			finish(h, s, msg->data.result);
		}
		if ((h->qhead && h->nbusy < h->o.jobs) ||
		    (!h->nbusy && !h->later && !h->qhead))
			continue;
		wait = 1.0;
		for (rq = h->later; rq; rq = rq->next)
			if (rq->when - now() < wait)
				wait = rq->when - now();
		if (wait < 0)
			wait = 0;
		if (h->nbusy) {
			if (curl_multi_poll(h->m, NULL, 0, (int)(wait * 1000) + 1,
			    NULL) != CURLM_OK)
				sme_die(SME_EX_LOCAL, "libcurl failed");
		} else if (wait > 0) {
			struct timespec ts = { (time_t)wait,
			    (long)((wait - (time_t)wait) * 1e9) };

			while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
				;
		}
	}
}

long
sme_http_count(const struct sme_http *h)
{
	return h->nreq;
}
