/* sme fuzz: sme_csv_field and sme_csv_formula; licence in COPYING */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sme.h"

/*
 * Properties: a CSV field unquotes (RFC 4180) to the bytes given; a
 * formula fits SME_CSV_FORMULA(n), is ="..." literals joined by & and
 * CHAR(n), each literal at most 255 bytes, holding no '"' or control
 * character and never cut inside a UTF-8 sequence, and evaluates back
 * (literals and CHAR codes concatenated) to the bytes given.
 */

#define FAIL(...) do { fprintf(stderr, "fuzz-csv: " __VA_ARGS__); \
	fputc('\n', stderr); abort(); } while (0)

static void
field(const char *s, size_t n, int delim)
{
	char *o = malloc(2 * n + 2), *u = malloc(n + 1), *e;
	size_t i, k = 0;

	e = sme_csv_field(o, s, n, delim);
	if ((size_t)(e - o) > 2 * n + 2)
		FAIL("field wrote %zu bytes for %zu", (size_t)(e - o), n);
	if (e - o >= 1 && o[0] == '"' && (e - o < 2 || e[-1] != '"'))
		FAIL("field opens a quote it does not close");
	if (e > o && o[0] == '"') {
		for (i = 1; i + 1 < (size_t)(e - o); i++) {
			if (o[i] == '"' && o[i + 1] != '"')
				FAIL("a lone quote inside a quoted field");
			if (o[i] == '"')
				i++;
			u[k++] = o[i];
		}
	} else {
		for (i = 0; i < (size_t)(e - o); i++) {
			if (o[i] == delim || o[i] == '"' || o[i] == '\r' || o[i] == '\n')
				FAIL("unquoted field holds a special byte");
			u[k++] = o[i];
		}
	}
	if (k != n || memcmp(u, s, n))
		FAIL("field does not unquote to its bytes");
	free(o);
	free(u);
}

static void
formula(const char *s, size_t n)
{
	size_t cap = SME_CSV_FORMULA(n), len, i, k = 0, lit;
	char *o = malloc(cap + 1), *u = malloc(n + 1);
	const unsigned char *p;
	unsigned c;
	int used;

	len = sme_csv_formula(o, s, n);
	if (len > cap)
		FAIL("formula wrote %zu bytes, room for %zu", len, cap);
	o[len] = '\0';
	if (len < 3 || o[0] != '=' || o[1] != '"' || o[len - 1] != '"')
		FAIL("not =\"...\": %s", o);
	/* a literal, then (& CHAR(n) | & literal)* */
	i = 1;
	for (;;) {
		if (o[i] == '"') {
			lit = 0;
			for (i++; i < len && o[i] != '"'; i++, lit++) {
				p = (const unsigned char *)o + i;
				if (*p < 0x20 || *p == 0x7f)
					FAIL("a control character inside a literal");
				u[k++] = o[i];
			}
			if (i >= len)
				FAIL("an unclosed literal");
			if (lit > 255)
				FAIL("a literal of %zu bytes", lit);
			if (lit < 255 && i + 1 < len && o[i + 1] == '&' && o[i + 2] == '"' &&
			    ((unsigned char)o[i + 3] & 0xc0) == 0x80)
				FAIL("a literal cut inside a UTF-8 character");
			i++;
		} else if (sscanf(o + i, "CHAR(%u)%n", &c, &used) == 1) {
			if (c >= 256)
				FAIL("CHAR(%u)", c);
			u[k++] = (char)c;
			i += (size_t)used;
		} else {
			FAIL("unexpected text at %zu: %s", i, o + i);
		}
		if (i == len)
			break;
		if (o[i] != '&')
			FAIL("parts not joined by &: %s", o + i);
		i++;
	}
	if (k != n || memcmp(u, s, n))
		FAIL("formula does not evaluate to its bytes");
	free(o);
	free(u);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	const char *s = (const char *)data;

	if (size > 4096)
		return 0;
	field(s, size, ';');
	field(s, size, size ? s[0] : ',');
	formula(s, size);
	return 0;
}
