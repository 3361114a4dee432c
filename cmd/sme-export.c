/* sme-export: the Auto Export: each due period of each job, fetched, formatted, uploaded, once; licence in COPYING */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sme.h"

#define USAGE "sme-export [-c config] [-s statedir] [--now time] [-n] " \
	"[--shard k/n] run [job ...]\n" \
	"       sme-export [-c config] [-s statedir] [--now time] status [job ...]\n" \
	"       sme-export [-c config] list [-j]\n" \
	"       sme-export [-c config] [-s statedir] [--now time] -p job"

static char *carg, *sarg, *parg, *nowarg;
static int nflag;
static unsigned shardk, shardn;

static char *
xdg(const char *var, const char *dflt, const char *tail)
{
	const char *base = getenv(var), *home = getenv("HOME");
	size_t n;
	char *p;

	if (base && *base == '/') {
		n = strlen(base) + strlen(tail) + 2;
		p = emalloc(n);
		snprintf(p, n, "%s/%s", base, tail);
		return p;
	}
	if (!home || !*home)
		sme_die(SME_EX_USAGE, "HOME is not set: name the %s with an option",
		    strstr(tail, "json") ? "config (-c)" : "state folder (-s)");
	n = strlen(home) + strlen(dflt) + strlen(tail) + 3;
	p = emalloc(n);
	snprintf(p, n, "%s/%s/%s", home, dflt, tail);
	return p;
}

/* mkdir -p, private */
static void
mkdirs(const char *dir)
{
	char *p = estrdup(dir), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0700) < 0 && errno != EEXIST)
			sme_die_at(SME_EX_LOCAL, p, 0, "cannot make the state folder:");
		*s = '/';
	}
	if (mkdir(p, 0700) < 0 && errno != EEXIST)
		sme_die_at(SME_EX_LOCAL, p, 0, "cannot make the state folder:");
	free(p);
}

static void
shard(const char *s)
{
	char *e;
	unsigned long k, n;

	k = strtoul(s, &e, 10);
	if (e == s || *e != '/' || e[1] < '0' || e[1] > '9')
		sme_die(SME_EX_USAGE, "--shard %s: not k/n", sme_shown(s));
	n = strtoul(e + 1, &e, 10);
	if (*e || n < 1 || n > 100000 || k >= n)
		sme_die(SME_EX_USAGE, "--shard %s: k/n with 0 <= k < n", sme_shown(s));
	shardk = (unsigned)k;
	shardn = (unsigned)n;
}

static int
wanted(const struct sme_job *j, char **names, int n)
{
	int i;

	if (shardn && sme_export_shard(j->name, shardn) != shardk)
		return 0;
	if (!n)
		return 1;
	for (i = 0; i < n; i++)
		if (!strcmp(names[i], j->name))
			return 1;
	return 0;
}

int
main(int argc, char *argv[])
{
	static const struct option longs[] = {
		{ "now", required_argument, NULL, 'N' },
		{ "shard", required_argument, NULL, 'S' },
		{ NULL, 0, NULL, 0 }
	};
	struct sme_run r = { 0 };
	struct sme_config *cfg;
	const char *cmd, *partner;
	char *user, *state, *e, *end;
	int64_t ns, t0, tload;
	struct stat sb;
	size_t i;
	int c, jflag = 0, named;

	sme_setprog(argv[0]);
	/* a closed 0, 1 or 2 would be taken by a lock or a state file */
	for (c = 0; c < 3; c++)
		if (fcntl(c, F_GETFD) < 0 && open("/dev/null", O_RDWR) != c)
			sme_die(SME_EX_LOCAL, "/dev/null:");
	while ((c = sme_getopt(argc, argv, "+c:s:np:hV", longs)) != -1) {
		switch (c) {
		case 'c': carg = optarg; break;
		case 's': sarg = optarg; break;
		case 'n': nflag = 1; break;
		case 'p': parg = optarg; break;
		case 'N': nowarg = optarg; break;
		case 'S': shard(optarg); break;
		case 'h': sme_help(USAGE);
		case 'V': sme_version();
		default: sme_usage(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	cmd = parg ? "-p" : argc ? argv[0] : NULL;
	if (!cmd || (parg && argc) || (strcmp(cmd, "run") && strcmp(cmd, "status") &&
	    strcmp(cmd, "list") && strcmp(cmd, "-p")))
		sme_usage(USAGE);
	if (!parg)
		argc--, argv++;
	if (!strcmp(cmd, "list")) {
		if (argc == 1 && !strcmp(argv[0], "-j"))
			jflag = 1;
		else if (argc)
			sme_usage(USAGE);
	}
	if ((nflag || shardn) && strcmp(cmd, "run"))
		sme_usage(USAGE);
	if (nowarg) {
		if (sme_time_parse(&ns, nowarg, strlen(nowarg)) < 0)
			sme_die(SME_EX_USAGE, "--now %s: not an RFC 3339 time "
			    "(2026-11-05T01:00:00Z)", sme_shown(nowarg));
		r.now = ns / SME_NS;
	} else {
		r.now = (int64_t)time(NULL);
	}

	partner = getenv("SME_PARTNER_CONFIG");
	named = partner && *partner;
	if (!named)
		partner = "/etc/sme/partner.json";
	user = carg ? estrdup(carg) : xdg("XDG_CONFIG_HOME", ".config",
	    "sme/config.json");
	tload = sme_export_clock();
	cfg = sme_config_load(partner, named, user);
	tload = sme_export_clock() - tload;
	free(user);
	for (c = 0; c < argc && strcmp(cmd, "list"); c++)
		if (!sme_config_job(cfg, argv[c]))
			sme_die(SME_EX_USAGE, "no job named \"%s\" in %s", sme_shown(argv[c]),
			    sme_shown(cfg->user));
	if (parg && !sme_config_job(cfg, parg))
		sme_die(SME_EX_USAGE, "no job named \"%s\" in %s", sme_shown(parg),
		    sme_shown(cfg->user));
	state = sarg ? estrdup(sarg) : xdg("XDG_STATE_HOME", ".local/state", "sme");
	r.cfg = cfg;
	r.statedir = state;
	r.dry = nflag;
	r.tty = isatty(1);
	r.timeout = 3600;
	if ((e = getenv("SME_EXPORT_TIMEOUT")) && *e) {
		unsigned long t = strtoul(e, &end, 10);

		if (*end || t < 1 || t > 86400 || *e == '-')
			sme_die(SME_EX_USAGE, "SME_EXPORT_TIMEOUT=%s: not a number of "
			    "seconds from 1 to 86400", sme_shown(e));
		r.timeout = (unsigned)t;
	}

	/* once, and not for each job's files in it */
	if (strcmp(cmd, "list") && stat(state, &sb) == 0 && !S_ISDIR(sb.st_mode))
		sme_die_at(SME_EX_LOCAL, state, 0, "not a folder (the state folder)");
	if (!strcmp(cmd, "list")) {
		sme_export_list(&r, jflag);
	} else if (parg) {
		sme_export_print(&r, sme_config_job(cfg, parg));
	} else if (!strcmp(cmd, "status")) {
		for (i = 0; i < cfg->njobs; i++)
			if (wanted(cfg->jobs[i], argv, argc))
				sme_export_status(&r, cfg->jobs[i]);
	} else {
		if (!nflag)
			mkdirs(state);
		sme_spawn_init(NULL);
		t0 = sme_export_clock();
		for (i = 0; i < cfg->njobs && !sme_spawn_signal; i++)
			if (wanted(cfg->jobs[i], argv, argc))
				sme_export_job(&r, cfg->jobs[i]);
		if (sme_spawn_signal) {
			sme_warn("stopped by signal %d: the state is at the last period "
			    "delivered; the next run goes on from there, and does "
			    "again a period that was under way", (int)sme_spawn_signal);
			fflush(stdout);
			signal(sme_spawn_signal, SIG_DFL);
			raise(sme_spawn_signal);
			exit(128 + sme_spawn_signal);
		}
		if (getenv("SME_EXPORT_STATS")) {
			double w = (double)(sme_export_clock() - t0 + tload) / 1e9;
			double in = (double)r.inside / 1e9;

			sme_warn("%ld sent, %ld waiting, %ld empty, %ld failed in %.3f s; "
			    "%.3f s of it outside the programs (%.1f %%)", r.sent,
			    r.waiting, r.empty, r.failed, w, w - in,
			    w > 0 ? (w - in) / w * 100 : 0.0);
		}
	}
	if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
		sme_die(SME_EX_LOCAL, "write error on standard output:");
	sme_config_free(cfg);
	free(state);
	return r.status;
}
