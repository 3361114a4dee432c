/* sme: OBIS codes: parse every common form, print the full one, map dialects; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* one group 0..255 at *p; advances *p */
static int
group(const char **p, const char *e, uint8_t *g)
{
	const char *s = *p;
	unsigned v = 0;

	if (s >= e || *s < '0' || *s > '9')
		return -1;
	while (s < e && *s >= '0' && *s <= '9') {
		v = v * 10 + (unsigned)(*s++ - '0');
		if (v > 255)
			return -1;
	}
	*g = (uint8_t)v;
	*p = s;
	return 0;
}

static int
parse(struct sme_obis *o, const char *s, size_t n)
{
	char b[64];
	const char *p, *e;
	size_t k = 0, i;
	int hex = 1;

	for (i = 0; i < n; i++) {
		if (s[i] == ' ' || s[i] == '\t')
			continue;
		if (k == sizeof b)
			return -1;
		if (hexval(s[i]) < 0)
			hex = 0;
		b[k++] = s[i];
	}
	memset(o, 0, sizeof *o);
	if (hex && k == 12) {
		for (i = 0; i < 6; i++)
			o->g[i] = (uint8_t)(hexval(b[2 * i]) << 4 | hexval(b[2 * i + 1]));
		o->mask = SME_OBIS_FULL;
		return 0;
	}
	p = b;
	e = b + k;
	if (memchr(b, ':', k)) {
		if (group(&p, e, &o->g[SME_OBIS_A]) || p >= e || *p++ != '-' ||
		    group(&p, e, &o->g[SME_OBIS_B]) || p >= e || *p++ != ':')
			return -1;
		o->mask |= 1 << SME_OBIS_A | 1 << SME_OBIS_B;
	}
	if (group(&p, e, &o->g[SME_OBIS_C]) || p >= e || *p++ != '.' ||
	    group(&p, e, &o->g[SME_OBIS_D]) || p >= e || *p++ != '.' ||
	    group(&p, e, &o->g[SME_OBIS_E]))
		return -1;
	o->mask |= 1 << SME_OBIS_C | 1 << SME_OBIS_D | 1 << SME_OBIS_E;
	if (p < e) {
		if (*p++ != '*' || group(&p, e, &o->g[SME_OBIS_F]))
			return -1;
		o->mask |= 1 << SME_OBIS_F;
	}
	return p == e ? 0 : -1;
}

int
sme_obis_pattern(struct sme_obis *o, const char *s, size_t n)
{
	return parse(o, s, n);
}

int
sme_obis_parse(struct sme_obis *o, const char *s, size_t n)
{
	if (parse(o, s, n))
		return -1;
	if (!(o->mask & 1 << SME_OBIS_A)) {
		o->g[SME_OBIS_A] = 1;
		o->g[SME_OBIS_B] = 0;
	}
	if (!(o->mask & 1 << SME_OBIS_F))
		o->g[SME_OBIS_F] = 255;
	o->mask = SME_OBIS_FULL;
	return 0;
}

static char *
putnum(char *p, unsigned v)
{
	if (v >= 100)
		*p++ = (char)('0' + v / 100);
	if (v >= 10)
		*p++ = (char)('0' + v / 10 % 10);
	*p++ = (char)('0' + v % 10);
	return p;
}

size_t
sme_obis_format_short(const struct sme_obis *o, char *buf)
{
	char *p = buf;

	p = putnum(p, o->g[0]);
	*p++ = '-';
	p = putnum(p, o->g[1]);
	*p++ = ':';
	p = putnum(p, o->g[2]);
	*p++ = '.';
	p = putnum(p, o->g[3]);
	*p++ = '.';
	p = putnum(p, o->g[4]);
	*p = '\0';
	return (size_t)(p - buf);
}

size_t
sme_obis_format(const struct sme_obis *o, char *buf)
{
	char *p = buf + sme_obis_format_short(o, buf);

	*p++ = '*';
	p = putnum(p, o->g[5]);
	*p = '\0';
	return (size_t)(p - buf);
}

int
sme_obis_cmp(const struct sme_obis *a, const struct sme_obis *b)
{
	return memcmp(a->g, b->g, 6);
}

int
sme_obis_same(const struct sme_obis *a, const struct sme_obis *b)
{
	return a->g[0] == b->g[0] && a->g[2] == b->g[2] && a->g[3] == b->g[3] &&
	    a->g[4] == b->g[4] && a->g[5] == b->g[5] &&
	    (a->g[1] == b->g[1] || (a->g[1] <= 1 && b->g[1] <= 1));
}

int
sme_obis_match(const struct sme_obis *pat, const struct sme_obis *o)
{
	int i;

	for (i = 0; i < 6; i++)
		if (pat->mask & 1 << i && pat->g[i] != o->g[i])
			return 0;
	return 1;
}

int
sme_obis_list(const char *s, int full, struct sme_obis **v, char **bad)
{
	const char *p = s, *q;
	int n = 0;
	size_t len;

	*v = NULL;
	for (;;) {
		q = p + strcspn(p, ";,");
		len = (size_t)(q - p);
		while (len && (*p == ' ' || *p == '\t'))
			p++, len--;
		while (len && (p[len - 1] == ' ' || p[len - 1] == '\t'))
			len--;
		if (len) {
			*v = erealloc(*v, (size_t)(n + 1) * sizeof **v);
			if ((full ? sme_obis_parse : sme_obis_pattern)(&(*v)[n], p, len)) {
				*bad = estrndup(p, len);
				free(*v);
				*v = NULL;
				return -1;
			}
			n++;
		}
		if (!*q)
			break;
		p = q + 1;
	}
	return n;
}

/* ---- dialects: the code sets of the product page ---- */

static const char *const dialects[] = { "none", "csv", "ise", "mscons" };

int
sme_dialect_parse(const char *name)
{
	int i;

	for (i = 1; i < 4; i++)
		if (!strcmp(name, dialects[i]))
			return i;
	return -1;
}

const char *
sme_dialect_name(int d)
{
	return d >= 0 && d < 4 ? dialects[d] : "?";
}

static int
ismedia(int a)
{
	return a == 5 || a == 6 || a == 8 || a == 9;
}

int
sme_obis_map(struct sme_obis *o, int dialect)
{
	uint8_t *g = o->g;
	int a = g[0], b = g[1], c = g[2], d = g[3], e = g[4];
	int elec = a == 1 && (b == 0 || b == 1);
	int active = elec && (c == 1 || c == 2) && e <= 2;
	int reactive = elec && c >= 5 && c <= 8 && e == 0;
	int media = ismedia(a) && (b == 0 || b == 1) && c == 1 && e == 0;
	int virt = a == 1 && b == 5 && c == 1;

	if (g[5] != 255)
		return -1;
	switch (dialect) {
	case SME_DIALECT_NONE:
		return 0;
	case SME_DIALECT_CSV:
		if ((active || reactive) && d == 8)
			g[1] = active ? 0 : 1;
		else if (media && d == 0)
			g[1] = 0;
		else
			return -1;
		return 0;
	case SME_DIALECT_ISE:
		if (virt && (d == 8 || d == 9))
			return 0;
		if ((active || reactive) && (d == 8 || d == 9 || d == 29))
			g[1] = 1;
		else if (media && (d == 0 || d == 9 || d == 29))
			g[1] = 1;
		else
			return -1;
		return 0;
	case SME_DIALECT_MSCONS:
		if (((active && e == 0) || reactive || media) && d == 29)
			g[1] = 1;
		else
			return -1;
		return 0;
	}
	return -1;
}

void
sme_obis_describe(const struct sme_obis *o, struct sme_obis_info *in)
{
	static const char *const media[] = {
		"abstract", "electricity", "?", "?", "heat cost allocator",
		"cooling", "heat", "gas", "cold water", "hot water"
	};
	static const char *const elec[] = {
		NULL, "active energy import", "active energy export",
		"reactive energy import", "reactive energy export",
		"reactive energy Q1", "reactive energy Q2", "reactive energy Q3",
		"reactive energy Q4"
	};
	const uint8_t *g = o->g;

	in->medium = g[0] < 10 ? media[g[0]] : "?";
	in->quantity = NULL;
	in->unit = NULL;
	if (g[0] == 1 && g[2] >= 1 && g[2] <= 8) {
		in->quantity = elec[g[2]];
		in->unit = g[2] <= 2 ? "kWh" : "kvarh";
	} else if ((g[0] == 5 || g[0] == 6) && g[2] == 1) {
		in->quantity = "energy";
		in->unit = "kWh";
	} else if ((g[0] == 8 || g[0] == 9) && g[2] == 1) {
		in->quantity = "volume";
		in->unit = "m3";
	}
}

const struct sme_obis_entry sme_obis_table[] = {
	{ "1-0:1.8.0*255", SME_DIALECT_CSV, "active energy total import", "kWh" },
	{ "1-0:1.8.1*255", SME_DIALECT_CSV, "active energy tariff 1 import", "kWh" },
	{ "1-0:1.8.2*255", SME_DIALECT_CSV, "active energy tariff 2 import", "kWh" },
	{ "1-0:2.8.0*255", SME_DIALECT_CSV, "active energy total export", "kWh" },
	{ "1-0:2.8.1*255", SME_DIALECT_CSV, "active energy tariff 1 export", "kWh" },
	{ "1-0:2.8.2*255", SME_DIALECT_CSV, "active energy tariff 2 export", "kWh" },
	{ "1-1:5.8.0*255", SME_DIALECT_CSV, "reactive energy Q1", "kvarh" },
	{ "1-1:6.8.0*255", SME_DIALECT_CSV, "reactive energy Q2", "kvarh" },
	{ "1-1:7.8.0*255", SME_DIALECT_CSV, "reactive energy Q3", "kvarh" },
	{ "1-1:8.8.0*255", SME_DIALECT_CSV, "reactive energy Q4", "kvarh" },
	{ "6-0:1.0.0*255", SME_DIALECT_CSV, "heat energy", "kWh" },
	{ "5-0:1.0.0*255", SME_DIALECT_CSV, "cold energy", "kWh" },
	{ "8-0:1.0.0*255", SME_DIALECT_CSV, "cold water volume", "m3" },
	{ "9-0:1.0.0*255", SME_DIALECT_CSV, "hot water volume", "m3" },
	{ "1-1:1.8.0*255", SME_DIALECT_ISE, "active energy total import", "kWh" },
	{ "1-1:1.8.1*255", SME_DIALECT_ISE, "active energy tariff 1 import", "kWh" },
	{ "1-1:1.8.2*255", SME_DIALECT_ISE, "active energy tariff 2 import", "kWh" },
	{ "1-1:2.8.0*255", SME_DIALECT_ISE, "active energy total export", "kWh" },
	{ "1-1:2.8.1*255", SME_DIALECT_ISE, "active energy tariff 1 export", "kWh" },
	{ "1-1:2.8.2*255", SME_DIALECT_ISE, "active energy tariff 2 export", "kWh" },
	{ "1-1:5.8.0*255", SME_DIALECT_ISE, "reactive energy Q1", "kvarh" },
	{ "1-1:6.8.0*255", SME_DIALECT_ISE, "reactive energy Q2", "kvarh" },
	{ "1-1:7.8.0*255", SME_DIALECT_ISE, "reactive energy Q3", "kvarh" },
	{ "1-1:8.8.0*255", SME_DIALECT_ISE, "reactive energy Q4", "kvarh" },
	{ "5-1:1.0.0*255", SME_DIALECT_ISE, "cold energy", "kWh" },
	{ "6-1:1.0.0*255", SME_DIALECT_ISE, "heat energy", "kWh" },
	{ "8-1:1.0.0*255", SME_DIALECT_ISE, "cold water volume", "m3" },
	{ "9-1:1.0.0*255", SME_DIALECT_ISE, "hot water volume", "m3" },
	{ "1-5:1.8.0*255", SME_DIALECT_ISE, "virtual tariff register (E = tariff number)", "kWh" },
	{ "1-5:1.9.0*255", SME_DIALECT_ISE, "virtual tariff feed (E = tariff number)", "kWh" },
	{ "1-1:1.29.0*255", SME_DIALECT_MSCONS, "active energy total import (load profile)", "kWh" },
	{ "1-1:2.29.0*255", SME_DIALECT_MSCONS, "active energy total export (load profile)", "kWh" },
	{ "1-1:5.29.0*255", SME_DIALECT_MSCONS, "reactive energy Q1 (load profile)", "kvarh" },
	{ "1-1:6.29.0*255", SME_DIALECT_MSCONS, "reactive energy Q2 (load profile)", "kvarh" },
	{ "1-1:7.29.0*255", SME_DIALECT_MSCONS, "reactive energy Q3 (load profile)", "kvarh" },
	{ "1-1:8.29.0*255", SME_DIALECT_MSCONS, "reactive energy Q4 (load profile)", "kvarh" },
	{ "5-1:1.29.0*255", SME_DIALECT_MSCONS, "cold energy (load profile)", "kWh" },
	{ "6-1:1.29.0*255", SME_DIALECT_MSCONS, "heat energy (load profile)", "kWh" },
	{ "8-1:1.29.0*255", SME_DIALECT_MSCONS, "cold water volume (load profile)", "m3" },
	{ "9-1:1.29.0*255", SME_DIALECT_MSCONS, "hot water volume (load profile)", "m3" },
};
const size_t sme_obis_ntable = sizeof sme_obis_table / sizeof sme_obis_table[0];
