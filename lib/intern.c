/* sme: interned strings: one id per distinct string, in order of appearance; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"

static size_t
hash(const char *p, size_t n)
{
	size_t h = (size_t)14695981039346656037ULL;

	while (n--)
		h = (h ^ (unsigned char)*p++) * (size_t)1099511628211ULL;
	return h;
}

static void
grow(struct sme_intern *t)
{
	size_t j, mask;
	uint32_t id;

	free(t->slot);
	t->nslot = t->nslot ? 2 * t->nslot : 64;
	t->slot = ecalloc(t->nslot, sizeof *t->slot);
	mask = t->nslot - 1;
	for (id = 0; id < t->n; id++) {
		for (j = hash(t->v[id].p, t->v[id].n) & mask; t->slot[j]; j = (j + 1) & mask)
			;
		t->slot[j] = id + 1;
	}
}

uint32_t
sme_intern(struct sme_intern *t, const char *p, size_t n)
{
	size_t i, mask;
	uint32_t id;

	if (t->n && t->v[t->last].n == n && !memcmp(t->v[t->last].p, p, n))
		return t->last;
	if (2 * ((size_t)t->n + 1) > t->nslot)
		grow(t);
	mask = t->nslot - 1;
	for (i = hash(p, n) & mask; (id = t->slot[i]) != 0; i = (i + 1) & mask)
		if (t->v[id - 1].n == n && !memcmp(t->v[id - 1].p, p, n))
			return t->last = id - 1;
	if (t->n == UINT32_MAX - 1)
		sme_die(SME_EX_LOCAL, "out of memory");
	if (!(t->n & (t->n + 1)))	/* n is 0, 1, 3, 7, ...: room for 2n + 2 */
		t->v = erealloc(t->v, (2 * (size_t)t->n + 2) * sizeof *t->v);
	t->v[t->n].p = estrndup(p, n);
	t->v[t->n].n = n;
	t->slot[i] = t->n + 1;
	return t->last = t->n++;
}

void
sme_intern_free(struct sme_intern *t)
{
	uint32_t i;

	for (i = 0; i < t->n; i++)
		free((char *)t->v[i].p);
	free(t->v);
	free(t->slot);
	memset(t, 0, sizeof *t);
}
