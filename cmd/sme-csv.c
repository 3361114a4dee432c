/* sme-csv: records to CSV, a row per meter and time, a column per OBIS code; licence in COPYING */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sme.h"

#define USAGE "sme-csv [-c columns] [-d delimiter] [-D decimal-mark] [-z zone] " \
	"[-T time-format] [-H] [-r] [-P] [file ...]"
#define SORTMEM (6u << 20)	/* bytes of entries held before the sort spills */
#define TIMEBUF 512

static char *carg, *zarg = "Europe/Zurich", *Targ;
static int dchar = ';', Dchar = '.';
static int Hflag, rflag, Pflag;

/* a record as the sort keeps it: 40 bytes, no pointers */
struct ent {
	int64_t time;		/* the row's time: time, or the end of an interval */
	int64_t v;		/* the value, v / 10^scale */
	uint32_t meter, mpid;	/* ids in meters and mpids; mpid 0: none */
	uint32_t code;		/* id in codes */
	uint32_t file, line;
	int8_t scale;
	uint8_t has;		/* a value to print (not missing) */
};

static struct sme_intern meters, mpids, codes;	/* codes: the 6 groups */

static int *codecol;		/* column of a code id, -1: not a column */
static long *ignored;		/* records dropped per code id (-c) */
static size_t nignored;
static uint32_t *colcode;	/* code id of a column */
static uint32_t ncols;
static const char **files;	/* display names, by ent.file */
static uint32_t nfiles;

static const struct sme_obis *
obis(uint32_t id)
{
	static struct sme_obis o;

	memcpy(o.g, codes.v[id].p, 6);
	o.mask = SME_OBIS_FULL;
	return &o;
}

static int
metercmp(uint32_t a, uint32_t b)
{
	return sme_meter_cmp(meters.v[a], meters.v[b]);
}

/* meter, time, code, then where it was read: a total order */
static int
entcmp(const void *pa, const void *pb)
{
	const struct ent *a = pa, *b = pb;

	if (a->meter != b->meter)
		return metercmp(a->meter, b->meter);
	if (a->time != b->time)
		return a->time < b->time ? -1 : 1;
	if (a->code != b->code)
		return memcmp(codes.v[a->code].p, codes.v[b->code].p, 6);
	if (a->file != b->file)
		return a->file < b->file ? -1 : 1;
	return (a->line > b->line) - (a->line < b->line);
}

static int
obiscmp(const void *a, const void *b)
{
	return memcmp(codes.v[*(const uint32_t *)a].p,
	    codes.v[*(const uint32_t *)b].p, 6);
}

/* -c: the product's list "1-0: 1.8.0 * 255; 1-0: 1.8.1 * 255; ..." */
static void
columns(const char *s)
{
	struct sme_obis *v;
	char *bad, c[SME_OBIS_MAX];
	int i, n = sme_obis_list(s, 1, &v, &bad);

	if (n < 0)
		sme_die(SME_EX_USAGE, "-c: bad OBIS code \"%s\"", sme_shown(bad));
	if (n == 0)
		sme_die(SME_EX_USAGE, "-c: no OBIS codes given");
	for (i = 0; i < n; i++)
		if (sme_intern(&codes, (const char *)v[i].g, 6) != ncols++) {
			sme_obis_format(&v[i], c);
			sme_die(SME_EX_USAGE, "-c: OBIS code %s given twice", c);
		}
	free(v);
}

static const char *
where(const struct ent *e, const struct ent *at, char *buf)
{
	return sme_where(buf, 64, files[e->file], (long)e->line, files[at->file]);
}

_Noreturn static void
conflict(const struct ent *a, const struct ent *b)
{
	char c[SME_OBIS_MAX], t[SME_TIME_MAX], w[64];

	sme_obis_format(obis(b->code), c);
	sme_time_format(b->time, t);
	if (a->code == b->code)
		sme_die_at(SME_EX_DATA, files[b->file], b->line,
		    "duplicate record: meter %s, %s at %s (also %s)",
		    sme_shown_cut(meters.v[b->meter].p), c, t, where(a, b, w));
	sme_die_at(SME_EX_DATA, files[b->file], b->line,
	    "mpid \"%s\" differs from \"%s\" (%s) for meter %s at %s",
	    sme_shown_cut(mpids.v[b->mpid - 1].p), sme_shown_cut(mpids.v[a->mpid - 1].p),
	    where(a, b, w), sme_shown_cut(meters.v[b->meter].p), t);
}

static size_t
timefmt(int64_t ns, char *buf)
{
	time_t t = (time_t)(ns / SME_NS - (ns % SME_NS < 0));
	struct tm tm;
	size_t n;

	if (!Targ)
		return sme_time_format_local(ns, buf);
	if (!localtime_r(&t, &tm) || (n = strftime(buf, TIMEBUF, Targ, &tm)) == 0)
		sme_die(SME_EX_USAGE, "-T: \"%s\" gives an empty time or one longer "
		    "than %d bytes", sme_shown(Targ), TIMEBUF - 1);
	return n;
}

static void
header(void)
{
	char *o = sme_out_reserve(64 + ncols * (2 * SME_OBIS_MAX + 1)), *b = o;
	char c[SME_OBIS_MAX];
	uint32_t i;

	o = sme_csv_field(o, "mpid", 4, dchar);
	*o++ = (char)dchar;
	o = sme_csv_field(o, "meter", 5, dchar);
	*o++ = (char)dchar;
	o = sme_csv_field(o, "time", 4, dchar);
	for (i = 0; i < ncols; i++) {
		*o++ = (char)dchar;
		o = sme_csv_field(o, c, sme_obis_format(obis(colcode[i]), c), dchar);
	}
	if (rflag)
		*o++ = '\r';
	*o++ = '\n';
	sme_out_commit((size_t)(o - b));
}

/* the row being collected: its cells, current when cellgen == gen */
static struct ent *cells, mpident;
static uint32_t *cellgen, gen;
static int numquote;		/* the delimiter can occur in a number */

/*
 * An ID (meter, mpid): as text that spreadsheets show exactly, ="00123",
 * or as it is with -P; the formula's text is stored in ids[k].
 */
static char *idbuf[2];
static size_t idcap[2];

static struct sme_str
id(int k, struct sme_str s)
{
	if (Pflag || !s.n)
		return s;
	if (idcap[k] < SME_CSV_FORMULA(s.n)) {
		idcap[k] = SME_CSV_FORMULA(s.n) + 64;
		idbuf[k] = erealloc(idbuf[k], idcap[k]);
	}
	s.n = sme_csv_formula(idbuf[k], s.p, s.n);
	s.p = idbuf[k];
	return s;
}

static void
row(const struct ent *k)
{
	struct sme_str m = meters.v[k->meter], mp = { "", 0 };
	char t[TIMEBUF], num[SME_DEC_MAX], *o, *b;
	struct sme_dec d;
	size_t n;
	uint32_t i;

	if (mpident.mpid)
		mp = mpids.v[mpident.mpid - 1];
	mp = id(0, mp);
	m = id(1, m);
	n = timefmt(k->time, t);
	o = b = sme_out_reserve(2 * (mp.n + m.n + n) + 16 +
	    (size_t)ncols * (2 * SME_DEC_MAX + 3));
	o = sme_csv_field(o, mp.p, mp.n, dchar);
	*o++ = (char)dchar;
	o = sme_csv_field(o, m.p, m.n, dchar);
	*o++ = (char)dchar;
	o = sme_csv_field(o, t, n, dchar);
	for (i = 0; i < ncols; i++) {
		*o++ = (char)dchar;
		if (cellgen[i] != gen || !cells[i].has)
			continue;
		d.v = cells[i].v;
		d.scale = cells[i].scale;
		if (numquote)
			o = sme_csv_field(o, num, sme_dec_format(d, num, (char)Dchar), dchar);
		else
			o += sme_dec_format(d, o, (char)Dchar);
	}
	if (rflag)
		*o++ = '\r';
	*o++ = '\n';
	sme_out_commit((size_t)(o - b));
}

static void
rows(struct sme_extsort *srt)
{
	const struct ent *e;
	struct ent key = { 0 };
	int inrow = 0;
	int col;

	cells = ecalloc(ncols ? ncols : 1, sizeof *cells);
	cellgen = ecalloc(ncols ? ncols : 1, sizeof *cellgen);
	numquote = strchr("0123456789-", dchar) || dchar == Dchar;
	while ((e = sme_extsort_next(srt)) != NULL) {
		if ((col = codecol[e->code]) < 0)
			continue;
		if (!inrow || e->meter != key.meter || e->time != key.time) {
			if (inrow)
				row(&key);
			inrow = 1;
			key = *e;
			mpident.mpid = 0;
			if (++gen == 0) {
				memset(cellgen, 0, ncols * sizeof *cellgen);
				gen = 1;
			}
		}
		if (cellgen[col] == gen)
			conflict(&cells[col], e);
		cellgen[col] = gen;
		cells[col] = *e;
		if (e->mpid && !mpident.mpid)
			mpident = *e;
		else if (e->mpid && e->mpid != mpident.mpid)
			conflict(&mpident, e);
	}
	if (inrow)
		row(&key);
}

static void
warnignored(void)
{
	char c[SME_OBIS_MAX], *msg = NULL;
	uint32_t *v = emalloc(codes.n * sizeof *v), i, n = 0;
	size_t len = 0;
	long total = 0;

	for (i = ncols; i < codes.n; i++)
		v[n++] = i;
	qsort(v, n, sizeof *v, obiscmp);
	for (i = 0; i < n; i++) {
		sme_obis_format(obis(v[i]), c);
		msg = erealloc(msg, len + SME_OBIS_MAX + 32);
		len += (size_t)sprintf(msg + len, "%s%s (%ld)", i ? ", " : "", c, ignored[v[i]]);
		total += ignored[v[i]];
	}
	if (n)
		sme_warn("warning: ignored %ld records with codes not in -c: %s", total, msg);
	free(msg);
	free(v);
}

int
main(int argc, char *argv[])
{
	struct sme_extsort *srt;
	struct sme_reader *rd;
	struct sme_record r;
	struct ent e;
	const char *lastfile = NULL;
	long nkept = 0;
	uint32_t id, i;
	int c;

	sme_setprog(argv[0]);
	while ((c = sme_getopt(argc, argv, "c:d:D:z:T:HrPhV", NULL)) != -1) {
		switch (c) {
		case 'c':	/* given more than once, the lists add up */
			carg = optarg;
			columns(optarg);
			break;
		case 'd':
			if (!strcmp(optarg, "\\t") || !strcmp(optarg, "tab"))
				dchar = '\t';
			else if (strlen(optarg) == 1 && (unsigned char)optarg[0] < 0x80 &&
			    !strchr("\"\r\n", optarg[0]))
				dchar = (unsigned char)optarg[0];
			else
				sme_die(SME_EX_USAGE, "-d: bad delimiter \"%s\" (one ASCII character, "
				    "not '\"', CR or LF; \"tab\" for a tab)", sme_shown(optarg));
			break;
		case 'D':
			if (strcmp(optarg, ".") && strcmp(optarg, ","))
				sme_die(SME_EX_USAGE, "-D: bad decimal mark \"%s\" (\".\" or \",\")",
				    sme_shown(optarg));
			Dchar = optarg[0];
			break;
		case 'z':
			zarg = optarg;
			break;
		case 'T':
			if (!*optarg)
				sme_die(SME_EX_USAGE, "-T: empty time format");
			Targ = optarg;
			break;
		case 'H':
			Hflag = 1;
			break;
		case 'r':
			rflag = 1;
			break;
		case 'P':
			Pflag = 1;
			break;
		case 'h':
			sme_help(USAGE);
		case 'V':
			sme_version();
		default:
			sme_usage(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if ((c = sme_zone_set(zarg)) == -2)
		sme_die(SME_EX_LOCAL, "-z: no zone database in %s (install tzdata, or set TZDIR)",
		    sme_shown(sme_zone_dir()));
	if (c < 0)
		sme_die(SME_EX_USAGE, "-z: unknown time zone \"%s\"", sme_shown(zarg));

	/* pass 1: check and keep every record, 40 bytes each, in the sort */
	sme_out_hold(1);
	srt = sme_extsort_new(sizeof(struct ent), SORTMEM, entcmp);
	rd = sme_reader_open(argv, argc);
	while (sme_reader_next(rd, &r)) {
		if (r.flags & SME_R_TARIFF)
			sme_die_at(SME_EX_DATA, r.file, r.line, "a virtual-tariff record "
			    "(tariff %ld): CSV cannot carry virtual tariffs; use sme-ise", r.tariff);
		id = sme_intern(&codes, (const char *)r.obis.g, 6);
		if (carg && id >= ncols) {
			if (id >= nignored) {
				ignored = erealloc(ignored, 2 * ((size_t)id + 1) * sizeof *ignored);
				memset(ignored + nignored, 0,
				    (2 * ((size_t)id + 1) - nignored) * sizeof *ignored);
				nignored = 2 * ((size_t)id + 1);
			}
			ignored[id]++;
			continue;
		}
		if (r.file != lastfile) {
			files = erealloc(files, (nfiles + 1) * sizeof *files);
			files[nfiles++] = lastfile = r.file;
		}
		e.time = r.flags & SME_R_INTERVAL ? r.end : r.time;
		e.v = r.value.v;
		e.scale = (int8_t)r.value.scale;
		e.has = (r.flags & SME_R_VALUE) && r.quality != SME_Q_MISSING;
		e.meter = sme_intern(&meters, r.meter.p, r.meter.n);
		e.mpid = r.mpid.n ? sme_intern(&mpids, r.mpid.p, r.mpid.n) + 1 : 0;
		e.code = id;
		e.file = nfiles - 1;
		e.line = (uint32_t)r.line;
		sme_extsort_add(srt, &e);
		nkept++;
	}
	if (!sme_reader_count(rd))
		sme_die_at(SME_EX_DATA, sme_filename(argc ? argv[argc - 1] : "-"), 0,
		    "no records");
	if (!nkept) {
		warnignored();
		sme_die_at(SME_EX_DATA, sme_filename(argc ? argv[argc - 1] : "-"), 0,
		    "no rows: none of the %ld records has a code given in -c", sme_reader_count(rd));
	}
	sme_reader_close(rd);

	/* the columns: -c, or the codes present in code order */
	codecol = emalloc(codes.n * sizeof *codecol);
	colcode = emalloc(codes.n * sizeof *colcode);
	if (!carg)
		ncols = codes.n;
	for (i = 0; i < codes.n; i++) {
		colcode[i] = i;
		codecol[i] = -1;
	}
	if (!carg)
		qsort(colcode, ncols, sizeof *colcode, obiscmp);
	for (i = 0; i < ncols; i++)
		codecol[colcode[i]] = (int)i;

	/* pass 2: the rows, from the sort */
	if (!Hflag)
		header();
	rows(srt);
	sme_extsort_free(srt);
	if (carg)
		warnignored();
	sme_out_finish();
	return SME_EX_OK;
}
