/* sme-ise: records to innosolv IS-E files (an inferred layout); licence in COPYING */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>

#include "sme.h"

#define USAGE "sme-ise [-k reading|feed|profile|peak] [-b] [-z zone] [-d delimiter] " \
	"[-t time-format] [-c columns] [-n] [file ...]"

static char *karg = "reading", *zarg = "Europe/Zurich", *darg = ";";
static char *targ = "%d.%m.%Y %H:%M:%S";
static char *carg = "mpid;meter;obis;time;value;unit;status";
static int bflag, nflag;

int
main(int argc, char *argv[])
{
	struct sme_ise_opt o = { 0 };
	struct sme_reader *rd;
	struct sme_record r;
	struct sme_dupes *dp;
	char *bad;
	long dropped = 0;
	int c, n;

	sme_setprog(argv[0]);
	while ((c = sme_getopt(argc, argv, "k:bz:d:t:c:nhV", NULL)) != -1) {
		switch (c) {
		case 'k': karg = optarg; break;
		case 'b': bflag = 1; break;
		case 'z': zarg = optarg; break;
		case 'd': darg = optarg; break;
		case 't': targ = optarg; break;
		case 'c': carg = optarg; break;
		case 'n': nflag = 1; break;
		case 'h': sme_help(USAGE);
		case 'V': sme_version();
		default: sme_usage(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if ((o.kind = sme_ise_kind(karg)) < 0)
		sme_die(SME_EX_USAGE, "-k: unknown export \"%s\" (reading, feed, profile or peak)",
		    sme_shown(karg));
	if (bflag && o.kind != SME_ISE_PROFILE)
		sme_die(SME_EX_USAGE, "-b: basic data (kWh only) is for -k profile");
	if (sme_zone_set(zarg) < 0)
		sme_die(SME_EX_USAGE, "-z: unknown zone \"%s\"", sme_shown(zarg));
	if (!strcmp(darg, "\\t"))
		darg = "\t";
	if (strlen(darg) != 1 || strchr("\"\r\n%", *darg))
		sme_die(SME_EX_USAGE, "-d: the delimiter is one character (not a quote or a line end)");
	if (strlen(targ) > SME_ISE_TIMEMAX || sme_ise_timefmt(targ) < 0)
		sme_die(SME_EX_USAGE, "-t: bad time format \"%s\" (%%Y %%m %%d %%H %%M %%S %%z %%:z %%%%, "
		    "up to %d bytes)", sme_shown(targ), SME_ISE_TIMEMAX);
	if ((n = sme_ise_columns(&o, carg, &bad)) < 0)
		sme_die(SME_EX_USAGE, "-c: unknown column \"%s\" (mpid, meter, obis, time, start, end, "
		    "value, unit, status; at most %d)", sme_shown(bad), SME_ISE_MAXCOLS);
	if (n == 0)
		sme_die(SME_EX_USAGE, "-c: no columns");
	o.basic = bflag;
	o.delim = *darg;
	o.timefmt = targ;

	sme_out_hold(1);
	if (!nflag)
		sme_ise_header(&o);
	dp = sme_dupes_new();
	rd = sme_reader_open(argv, argc);
	while (sme_reader_next(rd, &r)) {
		if (sme_ise_write(&o, &r))
			dropped++;
		else
			sme_dupes_add(dp, &r);
	}
	if (!sme_reader_count(rd))
		sme_die_at(SME_EX_DATA, sme_filename(argc ? argv[argc - 1] : "-"), 0, "no records");
	sme_dupes_finish(dp);
	sme_reader_close(rd);
	if (dropped)
		sme_warn("-b: left out %ld records that are not in kWh", dropped);
	sme_out_finish();
	return SME_EX_OK;
}
