/* sme: duplicate and overlapping records over the whole input, in bounded memory; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"

#define SORTMEM (4u << 20)	/* bytes of entries held before the sort spills */

/*
 * A series is a meter, a code (B=0 and B=1 as one channel, as in
 * sme-obis -p) and a virtual tariff: interned, so memory grows with the
 * number of series, never with the input.  Each record is one 40-byte
 * entry in an external sort; sorted by series, start, end and then input
 * order, a duplicate or an overlap is two neighbours.
 */
struct ent {
	int64_t start, end;	/* a reading: both its time */
	int64_t seq;		/* the record's number in the input */
	uint32_t series, file;
	int64_t line;
};

struct sme_dupes {
	struct sme_extsort *srt;
	struct sme_intern keys;
	struct sme_obis *codes;	/* by series: the code as first read */
	size_t ncap;
	const char **files;	/* display names, by ent.file */
	uint32_t nfiles;
	int64_t seq;
	char *key;
	size_t keycap;
};

static int
entcmp(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;

	if (a->series != b->series)
		return a->series < b->series ? -1 : 1;
	if (a->start != b->start)
		return a->start < b->start ? -1 : 1;
	if (a->end != b->end)
		return a->end < b->end ? -1 : 1;
	return (a->seq > b->seq) - (a->seq < b->seq);
}

struct sme_dupes *
sme_dupes_new(void)
{
	struct sme_dupes *d = ecalloc(1, sizeof *d);

	d->srt = sme_extsort_new(sizeof(struct ent), SORTMEM, entcmp);
	return d;
}

size_t
sme_series_key(char **key, size_t *cap, const struct sme_record *r)
{
	size_t n = r->meter.n + 7 + (r->flags & SME_R_TARIFF ? sizeof r->tariff : 0);
	char *k;

	if (*cap < n) {
		*cap = n + 64;
		*key = erealloc(*key, *cap);
	}
	k = *key;
	memcpy(k, r->meter.p, r->meter.n);
	k[r->meter.n] = '\0';
	memcpy(k + r->meter.n + 1, r->obis.g, 6);
	if (k[r->meter.n + 2] <= 1)	/* B=0 and B=1: one channel */
		k[r->meter.n + 2] = 0;
	if (r->flags & SME_R_TARIFF)	/* a virtual tariff is its own register */
		memcpy(k + r->meter.n + 7, &r->tariff, sizeof r->tariff);
	return n;
}

void
sme_dupes_add(struct sme_dupes *d, const struct sme_record *r)
{
	size_t n = sme_series_key(&d->key, &d->keycap, r);
	struct ent e;

	e.series = sme_intern(&d->keys, d->key, n);
	if (e.series >= d->ncap) {
		d->ncap = d->ncap ? 2 * d->ncap : 256;
		d->codes = erealloc(d->codes, d->ncap * sizeof *d->codes);
	}
	if (e.series == d->keys.n - 1)
		d->codes[e.series] = r->obis;
	if (!d->nfiles || d->files[d->nfiles - 1] != r->file) {
		d->files = erealloc(d->files, (d->nfiles + 1) * sizeof *d->files);
		d->files[d->nfiles++] = r->file;
	}
	e.file = d->nfiles - 1;
	e.line = r->line;
	e.seq = d->seq++;
	e.start = r->flags & SME_R_TIME ? r->time : r->start;
	e.end = r->flags & SME_R_TIME ? r->time : r->end;
	sme_extsort_add(d->srt, &e);
}

/* a at b: the later of the two in the input is the one named first */
_Noreturn static void
clash(struct sme_dupes *d, const struct ent *a, const struct ent *b)
{
	char c[SME_OBIS_MAX], t1[SME_TIME_MAX], t2[SME_TIME_MAX], t3[SME_TIME_MAX];
	char t4[SME_TIME_MAX], w[64], at[2 * SME_TIME_MAX + 8];
	const struct ent *x;
	const char *meter = d->keys.v[b->series].p;

	if (a->seq > b->seq)
		x = a, a = b, b = x;
	sme_obis_format(&d->codes[b->series], c);
	sme_time_format(b->start, t1);
	sme_time_format(b->end, t2);
	if (b->start == b->end)
		snprintf(at, sizeof at, "at %s", t1);
	else
		snprintf(at, sizeof at, "%s to %s", t1, t2);
	if (a->start == b->start && a->end == b->end)
		sme_die_at(SME_EX_DATA, d->files[b->file], (long)b->line,
		    "duplicate record: meter %s, %s %s (also %s)", sme_shown_cut(meter), c, at,
		    sme_where(w, sizeof w, d->files[a->file], (long)a->line, d->files[b->file]));
	sme_time_format(a->start, t3);
	sme_time_format(a->end, t4);
	sme_die_at(SME_EX_DATA, d->files[b->file], (long)b->line,
	    "overlapping intervals: meter %s, %s %s and %s to %s (%s)", sme_shown_cut(meter), c,
	    at, t3, t4, sme_where(w, sizeof w, d->files[a->file], (long)a->line, d->files[b->file]));
}

void
sme_dupes_finish(struct sme_dupes *d)
{
	const struct ent *e;
	struct ent last;
	int have = 0;

	while ((e = sme_extsort_next(d->srt)) != NULL) {
		if (have && e->series == last.series &&
		    (e->start < last.end || (e->start == last.start && e->end == last.end)))
			clash(d, &last, e);
		last = *e;
		have = 1;
	}
	sme_extsort_free(d->srt);
	sme_intern_free(&d->keys);
	free(d->codes);
	free(d->files);
	free(d->key);
	free(d);
}
