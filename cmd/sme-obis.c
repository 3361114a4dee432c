/* sme-obis: normalise, map, filter OBIS codes; derive load profiles; licence in COPYING */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sme.h"

#define USAGE "sme-obis [-t csv | ise | mscons] [-k codes] [-x codes] [-p | -f] " \
	"[-i interval] [-v] [-l] [file ...]"

static int tdialect;		/* -t */
static struct sme_obis *kcodes, *xcodes;
static int nk, nx;
static int mode;		/* 'p', 'f' or 0 */
static int64_t interval = 900 * SME_NS;
static int vflag, lflag;

/* codes that -t could not carry, counted for one summary warning */
static struct dropped {
	struct sme_obis obis;
	long n;
} *drops;
static size_t ndrops;
static long nountariff, nvirtother, nkx, nout;

/* the current group of records with one meter and time, for duplicates */
static struct {
	char *meter;
	size_t nmeter, cap;
	int64_t t1, t2;
	struct sme_obis *codes;
	long *tariffs;		/* -1: none; a virtual tariff is its own register */
	long *lines;
	const char **files;
	size_t n, ncap;
} grp;

static void
dropped(const struct sme_obis *o)
{
	size_t i;

	for (i = 0; i < ndrops; i++)
		if (!sme_obis_cmp(&drops[i].obis, o)) {
			drops[i].n++;
			return;
		}
	drops = erealloc(drops, (ndrops + 1) * sizeof *drops);
	drops[ndrops].obis = *o;
	drops[ndrops++].n = 1;
}

static void
warndrops(void)
{
	char c[SME_OBIS_MAX], *msg = NULL;
	size_t i, len = 0;
	long total = 0;

	for (i = 0; i < ndrops; i++) {
		sme_obis_format(&drops[i].obis, c);
		msg = erealloc(msg, len + SME_OBIS_MAX + 32);
		len += (size_t)sprintf(msg + len, "%s%s (%ld)", i ? ", " : "", c, drops[i].n);
		total += drops[i].n;
	}
	if (ndrops)
		sme_warn("warning: dropped %ld records with codes that %s cannot carry: %s",
		    total, sme_dialect_name(tdialect), msg);
	if (nountariff)
		sme_warn("warning: dropped %ld records without a virtual tariff (-v)",
		    nountariff);
	if (nvirtother)
		sme_warn("warning: dropped %ld virtual-tariff records that are not "
		    "active import registers (C=1, D=8)", nvirtother);
	free(msg);
}

/* duplicates: the same meter, code, tariff and time twice within a group */
static void
checkdup(const struct sme_record *r)
{
	int64_t t1 = r->flags & SME_R_TIME ? r->time : r->start;
	int64_t t2 = r->flags & SME_R_TIME ? r->time : r->end;
	char c[SME_OBIS_MAX], t[SME_TIME_MAX], w[4200], tf[32] = "";
	long tariff = r->flags & SME_R_TARIFF ? r->tariff : -1;
	size_t i;

	if (grp.meter && grp.nmeter == r->meter.n && grp.t1 == t1 &&
	    grp.t2 == t2 && !memcmp(grp.meter, r->meter.p, r->meter.n)) {
		for (i = 0; i < grp.n; i++)
			if (grp.tariffs[i] == tariff &&
			    sme_obis_same(&grp.codes[i], &r->obis)) {
				sme_obis_format(&r->obis, c);
				sme_time_format(t1, t);
				if (tariff >= 0)
					snprintf(tf, sizeof tf, " tariff %ld", tariff);
				sme_die_at(SME_EX_DATA, r->file, r->line,
				    "duplicate record: meter %s, %s%s at %s (also %s)",
				    sme_shown_cut(grp.meter), c, tf, t, sme_where(w, sizeof w,
				    grp.files[i], grp.lines[i], r->file));
			}
	} else {
		if (grp.cap <= r->meter.n) {
			grp.cap = r->meter.n + 32;
			grp.meter = erealloc(grp.meter, grp.cap);
		}
		memcpy(grp.meter, r->meter.p, r->meter.n);
		grp.meter[r->meter.n] = '\0';
		grp.nmeter = r->meter.n;
		grp.t1 = t1;
		grp.t2 = t2;
		grp.n = 0;
	}
	if (grp.n == grp.ncap) {
		grp.ncap = grp.ncap ? 2 * grp.ncap : 16;
		grp.codes = erealloc(grp.codes, grp.ncap * sizeof *grp.codes);
		grp.lines = erealloc(grp.lines, grp.ncap * sizeof *grp.lines);
		grp.files = erealloc(grp.files, grp.ncap * sizeof *grp.files);
		grp.tariffs = erealloc(grp.tariffs, grp.ncap * sizeof *grp.tariffs);
	}
	grp.tariffs[grp.n] = tariff;
	grp.files[grp.n] = r->file;
	grp.codes[grp.n] = r->obis;
	grp.lines[grp.n++] = r->line;
}

static int
matches(const struct sme_obis *v, int n, const struct sme_obis *o)
{
	int i;

	for (i = 0; i < n; i++)
		if (sme_obis_match(&v[i], o))
			return 1;
	return 0;
}

/* the last step: -t, then out */
static void
emit(struct sme_record *r, void *arg)
{
	(void)arg;
	if (tdialect && sme_obis_map(&r->obis, tdialect)) {
		dropped(&r->obis);
		return;
	}
	sme_record_write(r);
	nout++;
}

/* nothing can come out because of the options given: exit 3, and why */
_Noreturn static void
nothing(const char *name, long nrec)
{
	char why[256];
	size_t i, n = 0;
	long ndropped = 0;

	for (i = 0; i < ndrops; i++)
		ndropped += drops[i].n;
	why[0] = '\0';
#define WHY(cond, ...) do { if (cond) n += (size_t)snprintf(why + n, sizeof why - n, \
	"%s", n ? "; " : ""), n += (size_t)snprintf(why + n, sizeof why - n, __VA_ARGS__); } while (0)
	WHY(nkx, "%ld dropped by -k or -x", nkx);
	WHY(nountariff || nvirtother, "%ld dropped by -v", nountariff + nvirtother);
	WHY(ndrops, "%ld with codes that -t %s cannot carry", ndropped,
	    sme_dialect_name(tdialect));
	WHY(mode && !ndrops, "-%c needs two readings of a meter and code", mode);
#undef WHY
	sme_die_at(SME_EX_DATA, name, 0, "no records out of %ld: %s", nrec,
	    n ? why : "the options leave none");
}

static void
listcodes(void)
{
	struct sme_obis_info info;
	struct sme_obis code;
	json_t *o;
	size_t i;

	for (i = 0; i < sme_obis_ntable; i++) {
		if (tdialect && sme_obis_table[i].dialect != tdialect)
			continue;
		sme_obis_parse(&code, sme_obis_table[i].code, strlen(sme_obis_table[i].code));
		sme_obis_describe(&code, &info);
		/* json_pack returns a new reference that we own */
		o = json_pack("{s:s, s:s, s:s, s:s, s:s}",
		    "obis", sme_obis_table[i].code,
		    "format", sme_dialect_name(sme_obis_table[i].dialect),
		    "medium", info.medium,
		    "description", sme_obis_table[i].description,
		    "unit", sme_obis_table[i].unit);
		if (!o)
			sme_die(SME_EX_LOCAL, "out of memory");
		if (json_dumpf(o, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER) < 0 ||
		    fputc('\n', stdout) == EOF)
			sme_die(SME_EX_LOCAL, "write error on standard output:");
		json_decref(o);
	}
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		sme_die(SME_EX_LOCAL, "write error on standard output:");
}

/* -k and -x may be given more than once: the lists add up */
static void
codelist(const char *arg, int c, struct sme_obis **v, int *n)
{
	struct sme_obis *more;
	char *bad;
	int k = sme_obis_list(arg, 0, &more, &bad);

	if (k < 0)
		sme_die(SME_EX_USAGE, "-%c: bad OBIS code \"%s\"", c, sme_shown(bad));
	if (k == 0)
		sme_die(SME_EX_USAGE, "-%c: no OBIS codes given", c);
	*v = erealloc(*v, (size_t)(*n + k) * sizeof **v);
	memcpy(*v + *n, more, (size_t)k * sizeof *more);
	*n += k;
	free(more);
}

int
main(int argc, char *argv[])
{
	struct sme_reader *rd;
	struct sme_profile *pf = NULL;
	struct sme_record r;
	long incomplete = 0, nrec;
	int c;

	sme_setprog(argv[0]);
	while ((c = sme_getopt(argc, argv, "t:k:x:pfi:vlhV", NULL)) != -1) {
		switch (c) {
		case 't':
			if ((tdialect = sme_dialect_parse(optarg)) < 0)
				sme_die(SME_EX_USAGE, "-t: unknown format \"%s\" (csv, ise or mscons)",
				    sme_shown(optarg));
			break;
		case 'k':
			codelist(optarg, c, &kcodes, &nk);
			break;
		case 'x':
			codelist(optarg, c, &xcodes, &nx);
			break;
		case 'p':
		case 'f':
			if (mode && mode != c)
				sme_usage(USAGE);
			mode = c;
			break;
		case 'i':
			if ((interval = sme_duration_parse(optarg)) < 0)
				sme_die(SME_EX_USAGE, "-i: bad interval \"%s\" (e.g. 15m, 1h, 900)",
				    sme_shown(optarg));
			interval *= SME_NS;
			break;
		case 'v':
			vflag = 1;
			break;
		case 'l':
			lflag = 1;
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
	if (lflag) {
		if (argc || mode || nk || nx || vflag)
			sme_usage(USAGE);
		listcodes();
		return SME_EX_OK;
	}

	sme_out_hold(1);
	if (mode)
		pf = sme_profile_new(mode, interval);
	rd = sme_reader_open(argv, argc);
	while (sme_reader_next(rd, &r)) {
		if (vflag) {
			if (!(r.flags & SME_R_TARIFF)) {
				nountariff++;
				continue;
			}
			if (r.obis.g[0] != 1 || r.obis.g[2] != 1 || r.obis.g[3] != 8) {
				nvirtother++;
				continue;
			}
			r.obis = (struct sme_obis){ { 1, 5, 1, 8, (uint8_t)r.tariff, 255 },
			    SME_OBIS_FULL };
		}
		if ((nk && !matches(kcodes, nk, &r.obis)) ||
		    (nx && matches(xcodes, nx, &r.obis))) {
			nkx++;
			continue;
		}
		if (pf) {
			sme_profile_add(pf, &r, emit, NULL);
		} else {
			checkdup(&r);
			emit(&r, NULL);
		}
	}
	if (!sme_reader_count(rd))
		sme_die_at(SME_EX_DATA, sme_filename(argc ? argv[argc - 1] : "-"), 0,
		    "no records");
	if (pf)
		incomplete = sme_profile_finish(pf, emit, NULL);
	warndrops();
	nrec = sme_reader_count(rd);
	sme_reader_close(rd);
	if (!nout)
		nothing(sme_filename(argc ? argv[argc - 1] : "-"), nrec);
	sme_out_finish();
	return incomplete ? SME_EX_INCOMPLETE : SME_EX_OK;
}
