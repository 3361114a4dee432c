/* sme: sorting fixed-size entries in bounded memory: sorted runs, then a merge; licence in COPYING */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"

/*
 * Entries are collected in one chunk of memory.  A full chunk is sorted
 * (unless it arrived in order) and appended to an unlinked temporary file
 * as a run.  Reading merges the runs through a heap, with the chunk's
 * memory split among them; when every entry arrived in order the runs
 * together are one run, read front to back.
 */

struct run {
	off_t off;		/* next entry in the file */
	size_t left;		/* entries in the file not yet buffered */
	char *buf;
	size_t pos, len;	/* entries in buf: current, buffered */
};

struct sme_extsort {
	size_t size, cap, n;	/* entry size; chunk capacity and use, entries */
	char *chunk, *last;
	int (*cmp)(const void *, const void *);
	int inorder, chunkinorder, haslast, reading;
	int fd;
	const char *dir;
	off_t end;
	struct run *runs;
	size_t nruns, bufcap;
	size_t *heap, nheap;
	size_t pos;		/* reading from memory */
	int cur;		/* run of the entry returned last, or -1 */
};

struct sme_extsort *
sme_extsort_new(size_t size, size_t mem, int (*cmp)(const void *, const void *))
{
	struct sme_extsort *s = ecalloc(1, sizeof *s);

	s->size = size;
	s->cap = mem / size > 16 ? mem / size : 16;
	s->chunk = emalloc(s->cap * size);
	s->last = emalloc(size);
	s->cmp = cmp;
	s->inorder = s->chunkinorder = 1;
	s->fd = -1;
	s->cur = -1;
	return s;
}

static void
spill(struct sme_extsort *s)
{
	char path[4096];
	const char *p = s->chunk;
	size_t left = s->n * s->size;
	ssize_t w;

	if (s->fd < 0) {
		s->dir = getenv("TMPDIR");
		if (!s->dir || !*s->dir)
			s->dir = "/tmp";
		snprintf(path, sizeof path, "%s/sme-sort.XXXXXX", s->dir);
		if ((s->fd = mkstemp(path)) < 0)
			sme_die(SME_EX_LOCAL, "cannot create a temporary file in %s:", sme_shown(s->dir));
		unlink(path);
	}
	if (!s->chunkinorder)
		qsort(s->chunk, s->n, s->size, s->cmp);
	while (left > 0) {
		w = pwrite(s->fd, p, left, s->end);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			sme_die(SME_EX_LOCAL, "cannot write a temporary file in %s:", sme_shown(s->dir));
		p += w;
		left -= (size_t)w;
		s->end += w;
	}
	s->runs = erealloc(s->runs, (s->nruns + 1) * sizeof *s->runs);
	s->runs[s->nruns].off = s->end - (off_t)(s->n * s->size);
	s->runs[s->nruns++].left = s->n;
	memcpy(s->last, s->chunk + (s->n - 1) * s->size, s->size);
	s->haslast = 1;
	s->n = 0;
	s->chunkinorder = 1;
}

void
sme_extsort_add(struct sme_extsort *s, const void *e)
{
	const char *prev = s->n ? s->chunk + (s->n - 1) * s->size :
	    s->haslast ? s->last : NULL;

	if (s->n == s->cap)
		spill(s), prev = s->last;
	if (prev && s->cmp(prev, e) > 0)
		s->inorder = s->chunkinorder = 0;
	memcpy(s->chunk + s->n++ * s->size, e, s->size);
}

static int
refill(struct sme_extsort *s, struct run *r)
{
	size_t want = r->left < s->bufcap ? r->left : s->bufcap, got = 0;
	ssize_t n;

	while (got < want * s->size) {
		n = pread(s->fd, r->buf + got, want * s->size - got, r->off + (off_t)got);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			sme_die(SME_EX_LOCAL, "cannot read a temporary file in %s:", sme_shown(s->dir));
		got += (size_t)n;
	}
	r->off += (off_t)got;
	r->left -= want;
	r->pos = 0;
	r->len = want;
	return want > 0;
}

static const void *
head(struct sme_extsort *s, size_t i)
{
	struct run *r = &s->runs[s->heap[i]];

	return r->buf + r->pos * s->size;
}

static void
siftdown(struct sme_extsort *s, size_t i)
{
	size_t c, t;

	for (; (c = 2 * i + 1) < s->nheap; i = c) {
		if (c + 1 < s->nheap && s->cmp(head(s, c + 1), head(s, c)) < 0)
			c++;
		if (s->cmp(head(s, i), head(s, c)) <= 0)
			break;
		t = s->heap[i], s->heap[i] = s->heap[c], s->heap[c] = t;
	}
}

static void
startreading(struct sme_extsort *s)
{
	size_t i;

	s->reading = 1;
	if (!s->nruns) {
		if (!s->chunkinorder)
			qsort(s->chunk, s->n, s->size, s->cmp);
		return;
	}
	if (s->n)
		spill(s);
	if (s->inorder) {	/* the runs follow each other: one run */
		s->runs[0].left = (size_t)(s->end / (off_t)s->size);
		s->nruns = 1;
	}
	s->bufcap = s->cap / s->nruns;
	if (!s->bufcap) {
		s->bufcap = 1;
		s->chunk = erealloc(s->chunk, s->nruns * s->size);
	}
	s->heap = emalloc(s->nruns * sizeof *s->heap);
	for (i = 0; i < s->nruns; i++) {
		s->runs[i].buf = s->chunk + i * s->bufcap * s->size;
		refill(s, &s->runs[i]);
		s->heap[s->nheap++] = i;
	}
	for (i = s->nheap / 2; i-- > 0;)
		siftdown(s, i);
}

const void *
sme_extsort_next(struct sme_extsort *s)
{
	struct run *r;

	if (!s->reading)
		startreading(s);
	if (!s->nruns)
		return s->pos < s->n ? s->chunk + s->pos++ * s->size : NULL;
	if (s->cur >= 0) {
		r = &s->runs[s->cur];
		if (++r->pos == r->len && !refill(s, r))
			s->heap[0] = s->heap[--s->nheap];
		siftdown(s, 0);
	}
	if (!s->nheap)
		return NULL;
	s->cur = (int)s->heap[0];
	return head(s, 0);
}

void
sme_extsort_free(struct sme_extsort *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	free(s->chunk);
	free(s->last);
	free(s->runs);
	free(s->heap);
	free(s);
}
