/* sme: receipts of delivered files, with the SHA-256 of the bytes sent; licence in COPYING */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>
#include <openssl/evp.h>

#include "sme.h"

/*
 * The receipt's SHA-256 of the bytes sent.  A large file is hashed on a
 * second thread from a copy of each chunk, so that hashing and sending
 * overlap; a small one inline.
 */
#define RING (8u << 20)
#ifndef THREADED
#define THREADED (4 << 20)
#endif	/* files this large get the thread */

struct sme_digest {
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
	struct sme_digest *d = arg;
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

void
sme_digest_start(struct sme_digest *d, int64_t size)
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

void
sme_digest_add(struct sme_digest *d, const char *p, size_t n)
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
void
sme_digest_stop(struct sme_digest *d)
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

struct sme_digest *
sme_digest_new(void)
{
	struct sme_digest *d = ecalloc(1, sizeof *d);

	if (!(d->md = EVP_MD_CTX_new()))
		sme_die(SME_EX_LOCAL, "out of memory");
	pthread_mutex_init(&d->mu, NULL);
	pthread_cond_init(&d->cv, NULL);
	return d;
}

void
sme_digest_free(struct sme_digest *d)
{
	if (!d)
		return;
	sme_digest_stop(d);
	EVP_MD_CTX_free(d->md);
	pthread_mutex_destroy(&d->mu);
	pthread_cond_destroy(&d->cv);
	free(d->ring);
	free(d);
}

/* 0 when the bytes of s are UTF-8 (no overlong forms, no surrogates) */
int
sme_receipt_utf8(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long c;
	int n, i;

	while (*p) {
		if (*p < 0x80) {
			p++;
			continue;
		}
		if (*p >= 0xc2 && *p <= 0xdf)
			n = 1, c = *p & 0x1f;
		else if (*p >= 0xe0 && *p <= 0xef)
			n = 2, c = *p & 0x0f;
		else if (*p >= 0xf0 && *p <= 0xf4)
			n = 3, c = *p & 0x07;
		else
			return -1;
		for (i = 1; i <= n; i++) {
			if ((p[i] & 0xc0) != 0x80)
				return -1;
			c = c << 6 | (p[i] & 0x3f);
		}
		if ((n == 2 && (c < 0x800 || (c >= 0xd800 && c <= 0xdfff))) ||
		    (n == 3 && (c < 0x10000 || c > 0x10ffff)))
			return -1;
		p += n + 1;
	}
	return 0;
}

void
sme_receipt(struct sme_xfer *x, struct sme_put *p, double secs)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0, i;
	char hex[2 * EVP_MAX_MD_SIZE + 1], *url;
	const char *shown;
	json_t *o;
	int e;

	sme_digest_stop(p->md);
	EVP_DigestFinal_ex(p->md->md, md, &mdlen);
	for (i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * mdlen] = '\0';
	url = sme_url_string(x->url, p->name);
	/* json_pack returns a new reference: ours to json_decref */
	o = json_pack("{s:s, s:s, s:I, s:s, s:f}", "file", p->path, "url", url,
	    "bytes", (json_int_t)p->size, "sha256", hex,
	    "seconds", (double)(long long)(secs * 1000 + 0.5) / 1000);
	if (!o)
		sme_die(SME_EX_LOCAL, "out of memory");
	if (json_dumpf(o, stdout, JSON_COMPACT | JSON_REAL_PRECISION(15)) < 0 ||
	    putchar('\n') == EOF || fflush(stdout) == EOF) {
		sme_sig_die();	/* a signal cut the write: die of it */
		/* a script that sends again must know this one arrived */
		e = errno;
		shown = sme_shown(url);
		free(url);
		json_decref(o);
		errno = e;
		sme_die(SME_EX_LOCAL, "%s: delivered, but no receipt: "
		    "write error on standard output:", shown);
	}
	free(url);
	json_decref(o);
}
