/* sme fuzz: sme-mscons -d (sme_mscons_read, the EDIFACT tokenizer) and sme_edi_escape; licence in COPYING */
#include <fcntl.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"

/*
 * The input is an interchange.  Properties:
 * - sme_mscons_read() returns, or exits 3 (bad input) with a message: no
 *   crash, no other exit status, nothing left allocated;
 * - the input's bytes (without NUL, CR, LF, which EDIFACT data here
 *   cannot hold) escaped with sme_edi_escape() as one data element read
 *   back by the tokenizer as exactly those bytes, in one element.
 * sme_die() ends in exit(): built with -Wl,--wrap=exit (fuzz/run.sh), it
 * comes back here; what the reader had allocated is freed (the e*alloc
 * functions and free are wrapped too, and track it).  Its messages on
 * stderr are dropped (fprintf, vfprintf, fputc, fputs wrapped), so that
 * the log holds the fuzzer's and the sanitizers' only.
 */

#define FAIL(...) do { fprintf(stderr, "fuzz-mscons: " __VA_ARGS__); \
	fputc('\n', stderr); abort(); } while (0)

void __real_exit(int);
void *__real_emalloc(size_t);
void *__real_ecalloc(size_t, size_t);
void *__real_erealloc(void *, size_t);
void __real_free(void *);
int __real_vfprintf(FILE *, const char *, va_list);
int __real_fputc(int, FILE *);
int __real_fputs(const char *, FILE *);

static jmp_buf back;
static int inside, status;
static void *live[4096];
static size_t nlive;

static void
track(void *p)
{
	if (!inside || !p)
		return;
	if (nlive == sizeof live / sizeof *live)
		FAIL("more than %zu blocks allocated at once", nlive);
	live[nlive++] = p;
}

static void
untrack(void *p)
{
	size_t i;

	for (i = nlive; i-- > 0;)
		if (live[i] == p) {
			live[i] = live[--nlive];
			return;
		}
}

void
__wrap_exit(int st)
{
	if (!inside)
		__real_exit(st);
	inside = 0;
	status = st;
	longjmp(back, 1);
}

void *
__wrap_emalloc(size_t n)
{
	void *p = __real_emalloc(n);

	track(p);
	return p;
}

void *
__wrap_ecalloc(size_t n, size_t m)
{
	void *p = __real_ecalloc(n, m);

	track(p);
	return p;
}

void *
__wrap_erealloc(void *o, size_t n)
{
	void *p;

	if (inside && o)
		untrack(o);
	p = __real_erealloc(o, n);
	track(p);
	return p;
}

void
__wrap_free(void *p)
{
	if (inside && p)
		untrack(p);
	__real_free(p);
}

int
__wrap_fprintf(FILE *f, const char *fmt, ...)
{
	va_list ap;
	int r;

	if (inside && f == stderr)
		return 0;
	va_start(ap, fmt);
	r = __real_vfprintf(f, fmt, ap);
	va_end(ap);
	return r;
}

int
__wrap_vfprintf(FILE *f, const char *fmt, va_list ap)
{
	return inside && f == stderr ? 0 : __real_vfprintf(f, fmt, ap);
}

int
__wrap_fputc(int c, FILE *f)
{
	return inside && f == stderr ? c : __real_fputc(c, f);
}

int
__wrap_fputs(const char *s, FILE *f)
{
	return inside && f == stderr ? 0 : __real_fputs(s, f);
}

static int
readit(const uint8_t *d, size_t n)
{
	FILE *f = fmemopen(n ? (void *)d : (void *)"", n ? n : 1, "r");
	size_t i;

	if (!f)
		FAIL("fmemopen");
	nlive = 0;
	status = 0;
	if (!setjmp(back)) {
		inside = 1;
		if (n)
			sme_mscons_read(f, "fuzz");
		inside = 0;
	}
	fclose(f);
	if (status != 0 && status != SME_EX_DATA)
		FAIL("exit %d, not 3, on bad input", status);
	if (status)
		for (i = 0; i < nlive; i++)
			__real_free(live[i]);
	else if (nlive)
		FAIL("%zu blocks left allocated", nlive);
	nlive = 0;
	return status;
}

static void
escape(const uint8_t *d, size_t n)
{
	char in[4000], seg[2 * sizeof in + 8], *p = seg;
	struct sme_edi_seg *s;
	struct sme_edi *e;
	size_t k = 0, i;
	FILE *f;

	for (i = 0; i < n && k < sizeof in; i++)
		if (d[i] != '\0' && d[i] != '\r' && d[i] != '\n')
			in[k++] = (char)d[i];
	memcpy(p, "FTX+", 4);
	p += 4;
	p += sme_edi_escape(p, in, k);
	*p++ = '\'';
	if (!(f = fmemopen(seg, (size_t)(p - seg), "r")))
		FAIL("fmemopen");
	s = malloc(sizeof *s);
	e = sme_edi_open(f, "escape");
	inside = 1;
	if (setjmp(back))
		FAIL("the escaped element of %zu bytes was refused (exit %d)", k, status);
	if (sme_edi_next(e, s) != 1)
		FAIL("no segment");
	inside = 0;
	if (strcmp(s->tag, "FTX") || s->nel != 2 || s->el[1].ncomp != 1)
		FAIL("the escaped element became %d elements, %d components", s->nel - 1,
		    s->el[1].ncomp);
	if (strlen(s->el[1].comp[0]) != k || memcmp(s->el[1].comp[0], in, k))
		FAIL("the escaped element reads back as other bytes");
	sme_edi_close(e);
	free(s);
	fclose(f);
}

int
LLVMFuzzerInitialize(int *argc, char ***argv)
{
	int fd = open("/dev/null", O_WRONLY);

	(void)argc;
	(void)argv;
	sme_setprog("fuzz-mscons");
	if (sme_zone_set("Europe/Zurich") < 0)
		FAIL("no zone database");
	/* the records go to /dev/null */
	if (fd < 0 || dup2(fd, STDOUT_FILENO) < 0)
		FAIL("/dev/null");
	close(fd);
	/* out.c's buffer, made once, is no leak of the reader's */
	sme_out_reserve(1);
	sme_out_commit(0);
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *d, size_t n)
{
	readit(d, n);
	if (n <= 2 * 4000)
		escape(d, n);
	return 0;
}
