/* sme fuzz: sme_obis_parse, _pattern, _format, _map, _list; licence in COPYING */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sme.h"

/*
 * Properties: a parsed code is full and prints (full, short and 12-digit
 * hex forms) to text that parses to the same groups; the pattern of the
 * same text matches the code; a pattern prints and parses back to its
 * given groups; mapping into a dialect gives a code that maps to itself.
 */

#define FAIL(...) do { fprintf(stderr, "fuzz-obis: " __VA_ARGS__); \
	fputc('\n', stderr); abort(); } while (0)

static void
reparse(const struct sme_obis *o, const char *buf, size_t n, int groups)
{
	struct sme_obis p;

	if (strlen(buf) != n || n >= SME_OBIS_MAX)
		FAIL("printed \"%s\" with length %zu", buf, n);
	if (sme_obis_parse(&p, buf, n))
		FAIL("\"%s\" does not parse again", buf);
	if (p.mask != SME_OBIS_FULL || memcmp(p.g, o->g, (size_t)groups))
		FAIL("\"%s\" parsed to other groups", buf);
}

static void
check(const struct sme_obis *o)
{
	char buf[SME_OBIS_MAX + 8];
	size_t n;
	int i;

	n = sme_obis_format(o, buf);
	reparse(o, buf, n, 6);
	n = sme_obis_format_short(o, buf);
	reparse(o, buf, n, o->g[5] == 255 ? 6 : 5);
	for (i = 0, n = 0; i < 6; i++)
		n += (size_t)snprintf(buf + n, sizeof buf - n, "%02X", o->g[i]);
	reparse(o, buf, n, 6);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sme_obis o, p, m, mm, *list;
	struct sme_obis_info info;
	char *s, *bad = NULL, buf[SME_OBIS_MAX + 8];
	int ro, rp, d, n, i;

	s = malloc(size + 1);
	if (!s)
		abort();
	memcpy(s, data, size);
	ro = sme_obis_parse(&o, s, size);
	rp = sme_obis_pattern(&p, s, size);
	if (ro != rp)
		FAIL("parse %d but pattern %d", ro, rp);
	if (ro == 0) {
		if (o.mask != SME_OBIS_FULL)
			FAIL("parsed code has mask %#x", o.mask);
		check(&o);
		if (!sme_obis_match(&p, &o))
			FAIL("pattern does not match its own code");
		for (i = 0; i < 6; i++)
			if (p.mask & 1 << i && p.g[i] != o.g[i])
				FAIL("pattern group %d differs from the code's", i);
		/* a pattern prints (unset groups as 0) and parses to its groups */
		n = (int)sme_obis_format(&p, buf);
		if (sme_obis_pattern(&m, buf, (size_t)n) || !sme_obis_match(&p, &m))
			FAIL("pattern printed as \"%s\" does not parse to itself", buf);
		sme_obis_describe(&o, &info);
		if (!info.medium)
			FAIL("no medium");
		for (d = SME_DIALECT_NONE; d <= SME_DIALECT_MSCONS; d++) {
			m = o;
			if (sme_obis_map(&m, d))
				continue;
			check(&m);
			mm = m;
			if (sme_obis_map(&mm, d) || sme_obis_cmp(&mm, &m))
				FAIL("mapping into %s is not idempotent", sme_dialect_name(d));
		}
	}
	/* a list of patterns, as given to an option */
	s[size] = '\0';
	n = sme_obis_list(s, 0, &list, &bad);
	if (n < 0) {
		if (!bad || list)
			FAIL("list failed without naming the bad entry");
		free(bad);
	} else {
		free(list);
	}
	free(s);
	return 0;
}
