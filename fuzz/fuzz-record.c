/* sme fuzz: sme_record_parse and sme_record_write; licence in COPYING */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sme.h"

/*
 * The input is one line.  Properties:
 * - what sme_record_parse accepts is JSON that jansson accepts too, and
 *   valid JSON is never refused as "invalid JSON" (except for the nesting
 *   limit); a line with a NUL byte is refused;
 * - sme_record_write prints one line, no longer than it reserved, that
 *   jansson accepts and that parses again to an equal record;
 * - no member that the record format defines is left among the unknown
 *   members (they would be passed on twice, or lost).
 */

#define FAIL(...) do { fprintf(stderr, "fuzz-record: " __VA_ARGS__); \
	fputc('\n', stderr); abort(); } while (0)

static const char *const fieldnames[] = {
	"meter", "device", "mpid", "obis", "time", "start", "end", "value",
	"unit", "quality", "tariff"
};

static struct sme_parser *ps1, *ps2;
static int pfd[2];

/*
 * jansson's verdict: 0 valid, 1 invalid, 2 valid JSON that jansson does
 * not take (numbers beyond its range, "\u0000" in a member name)
 */
static int
jcheck(const char *s, size_t n, json_t **out)
{
	json_error_t e;
	json_t *j = json_loadb(s, n, JSON_ALLOW_NUL, &e);

	if (out)
		*out = j;
	else
		json_decref(j);
	if (j)
		return 0;
	switch (json_error_code(&e)) {
	case json_error_numeric_overflow:
	case json_error_null_byte_in_key:
		return 2;
	default:
		return 1;
	}
}

/* nul: the field is a string field, NUL-terminated (the extra is not) */
static void
samestr(const char *name, struct sme_str a, struct sme_str b, int nul)
{
	if (!a.p != !b.p || a.n != b.n || (a.n && memcmp(a.p, b.p, a.n)))
		FAIL("%s changed: \"%.*s\" became \"%.*s\"", name,
		    (int)a.n, a.p ? a.p : "", (int)b.n, b.p ? b.p : "");
	if (nul && a.p && (a.p[a.n] != '\0' || b.p[b.n] != '\0'))
		FAIL("%s is not NUL-terminated", name);
}

static void
sameval(struct sme_record *a, struct sme_record *b)
{
	const unsigned keep = SME_R_TIME | SME_R_INTERVAL | SME_R_VALUE |
	    SME_R_TARIFF | SME_R_QUALITY;

	samestr("meter", a->meter, b->meter, 1);
	samestr("device", a->device, b->device, 1);
	samestr("mpid", a->mpid, b->mpid, 1);
	samestr("unit", a->unit, b->unit, 1);
	samestr("unknown members", a->extra, b->extra, 0);
	if ((a->flags & keep) != (b->flags & keep))
		FAIL("flags %#x became %#x", a->flags, b->flags);
	if (sme_obis_cmp(&a->obis, &b->obis))
		FAIL("obis changed");
	if (a->flags & SME_R_INTERVAL) {
		if (a->start != b->start || a->end != b->end)
			FAIL("start/end changed");
	} else if (a->time != b->time)
		FAIL("time changed: %lld became %lld", (long long)a->time, (long long)b->time);
	if (a->flags & SME_R_VALUE && (sme_dec_cmp(a->value, b->value) ||
	    a->value.scale != b->value.scale))
		FAIL("value changed");
	if (a->quality != b->quality)
		FAIL("quality changed");
	if (a->flags & SME_R_TARIFF && a->tariff != b->tariff)
		FAIL("tariff changed");
}

/* the unknown members hold none of the record's own names */
static void
extranames(const struct sme_record *r)
{
	json_t *j, *v;
	const char *k;
	char *s;
	size_t i;

	if (!r->extra.n)
		return;
	s = malloc(r->extra.n + 2);
	if (!s)
		abort();
	s[0] = '{';
	memcpy(s + 1, r->extra.p, r->extra.n);
	s[r->extra.n + 1] = '}';
	if (jcheck(s, r->extra.n + 2, &j) == 1)
		FAIL("unknown members are not JSON members: %.*s", (int)r->extra.n, r->extra.p);
	free(s);
	if (!j)
		return;
	json_object_foreach(j, k, v)
		for (i = 0; i < sizeof fieldnames / sizeof fieldnames[0]; i++)
			if (!strcmp(k, fieldnames[i]))
				FAIL("member \"%s\" kept as an unknown member", k);
	json_decref(j);
}

int
LLVMFuzzerTestOneInput(const unsigned char *data, size_t size)
{
	struct sme_record r, r2;
	char err[512], err2[512];
	const char *line = (const char *)data;
	char *out, *end;
	size_t n, need;
	json_t *j;
	int rc, jc, isobj;

	/* a line has no newline, and the reader caps its length */
	if (memchr(data, '\n', size) || size > 100000)
		return 0;
	if (!ps1) {
		sme_setprog("fuzz-record");
		/*
		 * Collect output in memory, never write it: held output
		 * stays in memory when stdout is a pipe (a regular file
		 * would be written in place), so make it one.
		 */
		if (pipe(pfd) == 0)
			dup2(pfd[1], STDOUT_FILENO);
		sme_out_hold(1);
		ps1 = sme_parser_new();
		ps2 = sme_parser_new();
	}
	rc = sme_record_parse(ps1, &r, line, size, err, sizeof err);
	if (rc != 0 && !err[0])
		FAIL("refused without a message");
	if (memchr(data, '\0', size)) {
		/* never JSON; and jansson reads a NUL byte as the end of input */
		if (rc == 0)
			FAIL("accepted a line with a NUL byte");
		return 0;
	}
	jc = jcheck(line, size, &j);
	isobj = json_is_object(j);
	json_decref(j);
	if (rc == 0 && (jc == 1 || (jc == 0 && !isobj)))
		FAIL("accepted a line that is not a JSON object");
	if (rc != 0) {
		if (jc == 0 && isobj && (!strncmp(err, "invalid JSON", 12) ||
		    !strncmp(err, "invalid UTF-8", 13)) && !strstr(err, "nested deeper"))
			FAIL("refused valid JSON: %s", err);
		return 0;
	}
	extranames(&r);
	if ((r.meter.p && memchr(r.meter.p, '\0', r.meter.n)) ||
	    (r.mpid.p && memchr(r.mpid.p, '\0', r.mpid.n)) ||
	    (r.device.p && memchr(r.device.p, '\0', r.device.n)) ||
	    (r.unit.p && memchr(r.unit.p, '\0', r.unit.n)))
		FAIL("accepted a NUL inside a text member");

	sme_out_discard();
	out = sme_out_reserve(0);
	sme_record_write(&r);
	end = sme_out_reserve(0);
	n = (size_t)(end - out);
	need = 256 + 6 * (r.meter.n + r.device.n + r.mpid.n + r.unit.n) + r.extra.n;
	if (n > need)
		FAIL("wrote %zu bytes, reserved %zu", n, need);
	if (n < 2 || out[n - 1] != '\n' || memchr(out, '\n', n - 1))
		FAIL("output is not one line: %.*s", (int)n, out);
	if (jcheck(out, n - 1, NULL) == 1)
		FAIL("output is not JSON: %.*s", (int)(n - 1), out);
	if (sme_record_parse(ps2, &r2, out, n - 1, err2, sizeof err2))
		FAIL("output does not parse again: %s: %.*s", err2, (int)(n - 1), out);
	sameval(&r, &r2);
	sme_out_discard();
	return 0;
}
