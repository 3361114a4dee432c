/* sme-fetch: readings and inventory from the smart-me API, many meters at once; licence in COPYING */
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "sme.h"

#define USAGE "sme-fetch [-a url] [-A auth-file] [-F folder] ... [-f from] " \
	"[-t to] [-i interval] [-z zone] [-j jobs] [-m mpid] [-u scale] " \
	"[-v [-T name=number ...]] [-L devices | folders] [meter ...]"

static char *aarg, *Aarg, *farg, *targ, *marg, *Larg;
static char *zarg = "Europe/Zurich";
static char **Fargs;
static int nF;
static int64_t iv = 900;		/* -i, seconds */
static int jobs = 8;
static int ushift = -1;			/* -u: 0, 3 or 6 decimal places */
static int vflag;
static struct sme_fetch_tariff *tariffs;
static int ntariffs;

static struct sme_fetch f;

static int
shiftof(const char *s)
{
	static const char *const v[][3] = {
		{ "1", "1e0", NULL }, { "0.001", "1e-3", "1E-3" },
		{ "0.000001", "1e-6", "1E-6" }
	};
	int i, k;

	for (i = 0; i < 3; i++)
		for (k = 0; k < 3; k++)
			if (v[i][k] && !strcmp(s, v[i][k]))
				return 3 * i;
	return -1;
}

/* RFC 3339, or a local date YYYY-MM-DD in the -z zone; in ns */
static int64_t
when(const char *s, int opt)
{
	int64_t ns;
	int y, m, d;
	char c;

	if (strlen(s) == 10 && sscanf(s, "%4d-%2d-%2d%c", &y, &m, &d, &c) == 3 &&
	    s[4] == '-' && s[7] == '-' && m >= 1 && m <= 12 && d >= 1 && d <= 31)
		return sme_zone_mktime(y, m, d, 0, 0, 0) * SME_NS;
	if (sme_time_parse(&ns, s, strlen(s)) < 0)
		sme_die(SME_EX_USAGE, "-%c: bad time \"%s\" (RFC 3339, or a date "
		    "such as 2026-11-01)", opt, sme_shown(s));
	return ns;
}

static void
addtariff(const char *s)
{
	const char *eq = strrchr(s, '=');
	char *end;
	long n;

	if (!eq || eq == s)
		sme_die(SME_EX_USAGE, "-T: \"%s\" is not name=number", sme_shown(s));
	n = strtol(eq + 1, &end, 10);
	if (!eq[1] || *end || n < 0 || n > 255)
		sme_die(SME_EX_USAGE, "-T: \"%s\": the number is 0 to 255", sme_shown(s));
	tariffs = erealloc(tariffs, (size_t)(ntariffs + 1) * sizeof *tariffs);
	tariffs[ntariffs].name = estrndup(s, (size_t)(eq - s));
	tariffs[ntariffs++].number = n;
}

static double
envnum(const char *name, double def, double min, double max)
{
	const char *s = getenv(name);
	char *end;
	double v;

	if (!s || !*s)
		return def;
	v = strtod(s, &end);
	if (*end || v < min || v > max)
		sme_die(SME_EX_USAGE, "%s: \"%s\" is not a number from %g to %g",
		    name, sme_shown(s), min, max);
	return v;
}

/*
 * A negative serial (-231328692) is an operand, not options: such
 * arguments are moved behind a "--" before getopt sees them.
 */
static char **vec;

static char **
negatives(int *argc, char **argv)
{
	char **v = ecalloc((size_t)*argc + 2, sizeof *v);
	char **ops = ecalloc((size_t)*argc + 1, sizeof *ops);
	int i, j, k = 1, n = 0;

	v[0] = argv[0];
	for (i = 1; i < *argc; i++) {
		const char *a = argv[i], *p = argv[i - 1];

		if (!strcmp(a, "--")) {
			i++;
			break;
		}
		if (a[0] == '-' && a[1] >= '0' && a[1] <= '9' &&
		    strspn(a + 1, "0123456789") == strlen(a + 1) &&
		    !(i > 1 && p[0] == '-' && p[1] && strchr("aAFftizjmuTL", p[1]) &&
		    !p[2]))
			ops[n++] = argv[i];
		else
			v[k++] = argv[i];
	}
	v[k++] = "--";
	for (j = 0; j < n; j++)
		v[k++] = ops[j];
	for (; i < *argc; i++)
		v[k++] = argv[i];
	v[k] = NULL;
	*argc = k;
	free(ops);
	return v;
}

int
main(int argc, char **argv)
{
	struct sme_http_opt ho = { 0 };
	const char *base;
	char *end;
	long n;
	int c;

	sme_setprog(argv[0]);
	sme_secret_protect();
	argv = vec = negatives(&argc, argv);
	while ((c = sme_getopt(argc, argv, "a:A:F:f:t:i:z:j:m:u:vT:L:hV", NULL)) != -1) {
		switch (c) {
		case 'a': aarg = optarg; break;
		case 'A': Aarg = optarg; break;
		case 'F':
			Fargs = erealloc(Fargs, (size_t)(nF + 1) * sizeof *Fargs);
			Fargs[nF++] = optarg;
			break;
		case 'f': farg = optarg; break;
		case 't': targ = optarg; break;
		case 'i':
			if ((iv = sme_duration_parse(optarg)) < 0)
				sme_die(SME_EX_USAGE, "-i: bad interval \"%s\" (e.g. "
				    "15m, 1h, 900)", sme_shown(optarg));
			if (iv % 60)
				sme_die(SME_EX_USAGE, "-i: \"%s\": the API's grid is "
				    "whole minutes", sme_shown(optarg));
			break;
		case 'z': zarg = optarg; break;
		case 'j':
			n = strtol(optarg, &end, 10);
			if (*end || n < 1 || n > 256)
				sme_die(SME_EX_USAGE, "-j: \"%s\": 1 to 256 transfers",
				    sme_shown(optarg));
			jobs = (int)n;
			break;
		case 'm':
			marg = optarg;
			if (!*marg || sme_secret_clean(marg, strlen(marg)) < 0)
				sme_die(SME_EX_USAGE, "-m: an empty metering point ID");
			break;
		case 'u':
			if ((ushift = shiftof(optarg)) < 0)
				sme_die(SME_EX_USAGE, "-u: \"%s\": 1, 0.001 or 0.000001",
				    sme_shown(optarg));
			break;
		case 'v': vflag = 1; break;
		case 'T': addtariff(optarg); break;
		case 'L':
			if (strcmp(optarg, "devices") && strcmp(optarg, "folders"))
				sme_die(SME_EX_USAGE, "-L: \"%s\": devices or folders",
				    sme_shown(optarg));
			Larg = optarg;
			break;
		case 'V': sme_version();
		case 'h': sme_help(USAGE);
		default: sme_usage(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (ntariffs && !vflag)
		sme_usage(USAGE);
	if (vflag && (argc || !nF || Larg))
		sme_die(SME_EX_USAGE, "-v reads the virtual tariffs of folders: "
		    "give -F and no meter");
	if (Larg && (farg || targ || marg || ushift >= 0 || argc))
		sme_die(SME_EX_USAGE, "-L lists the inventory: no meter, -f, -t, "
		    "-m or -u");
	if (!Larg && !argc && !nF)
		sme_die(SME_EX_USAGE, "no meter: give meters or -F folder");
	if (sme_zone_set(zarg) < 0)
		sme_die(SME_EX_USAGE, "-z: unknown zone \"%s\"", sme_shown(zarg));
	if (!Larg) {
		if (!farg || !targ)
			sme_die(SME_EX_USAGE, "give the period with -f and -t");
		f.from = when(farg, 'f');
		f.to = when(targ, 't');
		if (f.from >= f.to)
			sme_die(SME_EX_USAGE, "-f %s is not before -t %s", sme_shown(farg),
			    sme_shown(targ));
	}

	base = aarg ? aarg : getenv("SME_API_URL");
	f.base = sme_fetch_base(base ? base : "https://api.smart-me.com",
	    aarg ? "-a" : "SME_API_URL");
	ho.jobs = jobs;
	ho.timeout = (long)envnum("SME_API_TIMEOUT", 30, 1, 3600);
	ho.retries = (int)envnum("SME_API_RETRIES", 4, 0, 100);
	ho.backoff = envnum("SME_API_BACKOFF", 1, 0, 3600);
	ho.maxwait = envnum("SME_API_MAXWAIT", 60, 0, 86400);
	ho.maxtime = 10 * ho.maxwait + 4.0 * (double)ho.timeout * (ho.retries + 1);
	ho.cafile = getenv("SME_API_CAFILE");
	f.cap = (long)envnum("SME_API_MAX_VALUES", 1000, 2, 1000000);
	sme_auth_load(&f.auth, Aarg, f.base, &ho);
	f.interval = iv * SME_NS;
	f.shift = ushift;
	f.mpid = marg;
	f.jobs = jobs;
	f.progress = isatty(STDERR_FILENO);
	f.tariffs = tariffs;
	f.ntariffs = ntariffs;
	f.http = sme_http_new(sme_fetch_httpopt(&ho));

	sme_sig_catch();
	sme_out_hold(1);
	if (Larg)
		sme_fetch_list(&f, !strcmp(Larg, "folders"), Fargs, nF);
	else if (vflag)
		sme_fetch_tariffs(&f, Fargs, nF);
	else
		sme_fetch_readings(&f, argv, argc, Fargs, nF);
	/* the whole output or none: a signal now waits until it is out */
	sme_sig_defer(1);
	sme_out_finish();
	sme_sig_defer(0);
	sme_http_free(f.http);
	sme_auth_free(&f.auth);
	free(vec);
	return f.incomplete ? SME_EX_INCOMPLETE : SME_EX_OK;
}
