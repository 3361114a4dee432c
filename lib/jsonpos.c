/* sme: the line of every member and element of a JSON text, for messages; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sme.h"

/*
 * jansson keeps no positions, so config.c walks the text once more (after
 * jansson found it valid) and notes the line where each value starts,
 * under its path: "jobs[2].format".
 */

struct scan {
	const char *p, *end;
	long line;
	struct sme_jpos *pos;
};

static void
ws(struct scan *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\t' ||
	    *s->p == '\n' || *s->p == '\r')) {
		if (*s->p == '\n')
			s->line++;
		s->p++;
	}
}

static void
note(struct scan *s, const char *path)
{
	struct sme_jpos *jp = s->pos;

	if (jp->n == jp->cap) {
		jp->cap = jp->cap ? 2 * jp->cap : 64;
		jp->v = erealloc(jp->v, jp->cap * sizeof *jp->v);
	}
	jp->v[jp->n].path = estrdup(path);
	jp->v[jp->n++].line = s->line;
}

/*
 * A string's text between its quotes, its escapes decoded (by jansson) as
 * in the keys config.c looks up: "b\u0061d" is the member "bad"
 */
static char *
str(struct scan *s)
{
	const char *b = ++s->p;
	json_t *v;
	char *t;

	while (s->p < s->end && *s->p != '"') {
		if (*s->p == '\\' && s->p + 1 < s->end)
			s->p++;
		s->p++;
	}
	if (s->p < s->end && memchr(b, '\\', (size_t)(s->p - b)) &&
	    (v = json_loadb(b - 1, (size_t)(s->p - b) + 2, JSON_DECODE_ANY, NULL))) {
		t = estrdup(json_is_string(v) ? json_string_value(v) : "");
		json_decref(v);
		s->p++;
		return t;
	}
	return estrndup(b, (size_t)(s->p++ - b));
}

/* a value too deep to note: skipped whole, its newlines counted */
static void
skip(struct scan *s)
{
	long depth = 0;

	for (; s->p < s->end; s->p++) {
		if (*s->p == '\n')
			s->line++;
		else if (*s->p == '"') {
			free(str(s));
			s->p--;
		} else if (*s->p == '{' || *s->p == '[')
			depth++;
		else if ((*s->p == '}' || *s->p == ']') && --depth == 0) {
			s->p++;
			return;
		}
	}
}

static void
value(struct scan *s, const char *path, int depth)
{
	char *k, *sub;
	size_t i = 0, n;

	ws(s);
	if (s->p >= s->end)
		return;
	if (depth > 32 && (*s->p == '{' || *s->p == '[')) {
		skip(s);
		return;
	}
	note(s, path);
	if (*s->p == '"') {
		free(str(s));
		return;
	}
	if (*s->p != '{' && *s->p != '[') {
		while (s->p < s->end && !strchr(",]} \t\r\n", *s->p))
			s->p++;
		return;
	}
	if (*s->p++ == '{') {
		for (;;) {
			ws(s);
			if (s->p >= s->end || *s->p == '}')
				break;
			if (*s->p == ',') {
				s->p++;
				continue;
			}
			k = str(s);
			n = strlen(path) + strlen(k) + 2;
			sub = emalloc(n);
			snprintf(sub, n, "%s%s%s", path, *path ? "." : "", k);
			ws(s);
			if (s->p < s->end && *s->p == ':')
				s->p++;
			value(s, sub, depth + 1);
			free(sub);
			free(k);
		}
	} else {
		for (;;) {
			ws(s);
			if (s->p >= s->end || *s->p == ']')
				break;
			if (*s->p == ',') {
				s->p++;
				continue;
			}
			n = strlen(path) + 24;
			sub = emalloc(n);
			snprintf(sub, n, "%s[%zu]", path, i++);
			value(s, sub, depth + 1);
			free(sub);
		}
	}
	if (s->p < s->end)
		s->p++;
}

void
sme_jpos_scan(struct sme_jpos *jp, const char *text, size_t n)
{
	struct scan s = { text, text + n, 1, jp };

	value(&s, "", 0);
}

long
sme_jpos_line(const struct sme_jpos *jp, const char *path)
{
	/* lookups mostly follow the document: go on from the last one */
	static size_t last;
	size_t i, k;

	for (k = 0; k < jp->n; k++) {
		i = (last + k) % jp->n;
		if (!strcmp(jp->v[i].path, path)) {
			last = i;
			return jp->v[i].line;
		}
	}
	return 0;
}

void
sme_jpos_free(struct sme_jpos *jp)
{
	size_t i;

	for (i = 0; i < jp->n; i++)
		free(jp->v[i].path);
	free(jp->v);
	memset(jp, 0, sizeof *jp);
}
