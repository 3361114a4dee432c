/* sme-mscons: interval records to MSCONS 2.2e / 2.4a load-profile interchanges, and back; licence in COPYING */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"

#define USAGE "sme-mscons -r 2.2e|2.4a -s sender[:qualifier] -R receiver[:qualifier] " \
	"[-m mpid] [-P pid] [-n reference] [-N document-number] [-z zone] [-e] [-F] [-M] " \
	"[-S method,reason] [-o dir] [-d] [file ...]"

static char *rarg, *sarg, *Rarg, *marg, *Parg, *narg, *Narg, *oarg, *Sarg;
static char *zarg = "Europe/Zurich";
static int eflag, dflag, Fflag, Mflag;

/* -o: the temporary file, removed on every way out but success */
static char tmppath[4096];
static volatile sig_atomic_t tmpset;
static const char *odir;

static void
rmtmp(void)
{
	if (tmpset)
		unlink(tmppath);
	tmpset = 0;
}

/* on exit without success: out.c's write errors say "standard output", so name the folder */
static void
rmtmp_exit(void)
{
	if (!tmpset)
		return;
	rmtmp();
	sme_warn("-o: nothing written to %s", sme_shown(odir));
}

/* "id[:qualifier]": qualifier 500 (default) or 14 */
static void
party(char *arg, int c, int *qual)
{
	char *q = strrchr(arg, ':');

	*qual = 500;
	if (q) {
		*q++ = '\0';
		if (!strcmp(q, "500"))
			*qual = 500;
		else if (!strcmp(q, "14"))
			*qual = 14;
		else
			sme_die(SME_EX_USAGE, "-%c: code qualifier \"%s\": 500 or 14", c, sme_shown(q));
	}
	if (!*arg)
		sme_die(SME_EX_USAGE, "-%c: empty ID", c);
	if (!sme_mscons_plain(arg, strlen(arg)))
		sme_die(SME_EX_USAGE, "-%c: only printable ASCII goes into an ID", c);
	if (strlen(arg) > 35)
		sme_die(SME_EX_USAGE, "-%c: ID %s has %zu characters: MSCONS allows 35", c, arg,
		    strlen(arg));
}

/* a part of the -o file name: no '/', no surprises */
static void
nameok(const char *s, const char *what)
{
	for (; *s; s++)
		if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') ||
		    (*s >= '0' && *s <= '9') || *s == '-' || *s == '.' || *s == '_'))
			sme_die(SME_EX_USAGE, "-o: %s contains '%s', which cannot be part of the file name",
			    what, sme_shown_n(s, 1, 0));
}

/* an EDIFACT code of 1 to 3 upper-case letters or digits, s to e */
static int
code3(const char *s, const char *e)
{
	const char *p;

	if (e - s < 1 || e - s > 3)
		return 0;
	for (p = s; p < e; p++)
		if (!((*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9')))
			return 0;
	return 1;
}

/* TERM, INT, HUP held back (block 1) or let through again (block 0) */
static void
holdsigs(int block)
{
	static sigset_t old;
	sigset_t set;

	if (block) {
		sigemptyset(&set);
		sigaddset(&set, SIGTERM);
		sigaddset(&set, SIGINT);
		sigaddset(&set, SIGHUP);
		sigprocmask(SIG_BLOCK, &set, &old);
	} else {
		sigprocmask(SIG_SETMASK, &old, NULL);
	}
}

static int
opendir_tmp(const char *dir)
{
	int fd, e;

	if (snprintf(tmppath, sizeof tmppath, "%s/.sme-mscons.XXXXXX", dir) >= (int)sizeof tmppath)
		sme_die(SME_EX_USAGE, "-o: folder name too long");
	odir = dir;
	atexit(rmtmp_exit);
	/* TERM, INT, HUP: the temporary file goes, then we die of the signal */
	sme_sig_atcleanup(rmtmp);
	/* a signal between mkstemp() and tmpset would leave the file behind */
	holdsigs(1);
	fd = mkstemp(tmppath);
	e = errno;
	if (fd >= 0)
		tmpset = 1;
	holdsigs(0);
	errno = e;
	if (fd < 0)
		sme_die(SME_EX_LOCAL, "cannot create a file in %s:", sme_shown(dir));
	{
		mode_t um = umask(0);

		umask(um);
		if (fchmod(fd, 0666 & ~um) < 0)
			sme_die(SME_EX_LOCAL, "cannot write %s:", sme_shown(tmppath));
	}
	return fd;
}

static void
readback(char **files, int n)
{
	static char *stdinlist[] = { "-" };
	long nrec = 0;
	FILE *f;
	int i;

	if (n == 0) {
		files = stdinlist;
		n = 1;
	}
	sme_out_hold(1);
	for (i = 0; i < n; i++) {
		if (!strcmp(files[i], "-"))
			f = stdin;
		else if (!(f = fopen(files[i], "r")))
			sme_die(SME_EX_LOCAL, "cannot open %s:", sme_shown(files[i]));
		nrec += sme_mscons_read(f, sme_filename(files[i]));
		if (f != stdin)
			fclose(f);
	}
	if (!nrec)
		sme_die_at(SME_EX_DATA, sme_filename(files[n - 1]), 0, "no values");
	sme_out_finish();
}

int
main(int argc, char *argv[])
{
	struct sme_mscons_opt o = { 0 };
	struct sme_reader *rd;
	struct sme_record r;
	struct sme_mscons *m;
	char ref[32], day[9], final[4200];
	const char *p;
	int c, fd = -1, syncfd = -1, outfd = -1;

	sme_setprog(argv[0]);
	while ((c = sme_getopt(argc, argv, "r:s:R:m:P:n:N:z:eFMS:o:dhV", NULL)) != -1) {
		switch (c) {
		case 'r': rarg = optarg; break;
		case 's': sarg = optarg; break;
		case 'R': Rarg = optarg; break;
		case 'm': marg = optarg; break;
		case 'P': Parg = optarg; break;
		case 'n': narg = optarg; break;
		case 'N': Narg = optarg; break;
		case 'z': zarg = optarg; break;
		case 'e': eflag = 1; break;
		case 'F': Fflag = 1; break;
		case 'M': Mflag = 1; break;
		case 'S': Sarg = optarg; break;
		case 'o': oarg = optarg; break;
		case 'd': dflag = 1; break;
		case 'h': sme_help(USAGE);
		case 'V': sme_version();
		default: sme_usage(USAGE);
		}
	}
	argc -= optind;
	argv += optind;
	if (sme_zone_set(zarg) < 0)
		sme_die(SME_EX_USAGE, "-z: unknown zone \"%s\"", sme_shown(zarg));
	if (dflag) {
		if (rarg || sarg || Rarg || marg || Parg || narg || Narg || eflag || oarg ||
		    Fflag || Mflag || Sarg)
			sme_usage(USAGE);
		readback(argv, argc);
		return SME_EX_OK;
	}
	if (!rarg || !sarg || !Rarg)
		sme_usage(USAGE);
	if (!strcmp(rarg, "2.2e"))
		o.release = 22;
	else if (!strcmp(rarg, "2.4a"))
		o.release = 24;
	else
		sme_die(SME_EX_USAGE, "-r: release \"%s\": 2.2e or 2.4a", sme_shown(rarg));
	party(sarg, 's', &o.squal);
	party(Rarg, 'R', &o.rqual);
	o.sender = sarg;
	o.receiver = Rarg;
	o.pid = Parg ? Parg : o.release == 22 ? "13008" : "13018";
	if (o.release == 22 ? strcmp(o.pid, "13008") :
	    strcmp(o.pid, "13018") && strcmp(o.pid, "13025"))
		sme_die(SME_EX_USAGE, "-P: %s has no load-profile PID %s (%s)", rarg, sme_shown(o.pid),
		    o.release == 22 ? "13008" : "13018 or 13025");
	if (marg && (!*marg || strlen(marg) > 35 || !sme_mscons_plain(marg, strlen(marg))))
		sme_die(SME_EX_USAGE, "-m: a metering point ID has 1 to 35 printable ASCII characters");
	o.mpid = marg;
	if (narg) {
		if (!*narg || strlen(narg) > 14)
			sme_die(SME_EX_USAGE, "-n: reference %s has %zu characters: MSCONS allows 1 to 14",
			    sme_shown(narg), strlen(narg));
		for (p = narg; o.release == 24 && *p; p++)
			if (*p >= 'a' && *p <= 'z')
				sme_die(SME_EX_USAGE, "-n: reference %s: 2.4a allows no lower-case letters",
				    sme_shown(narg));
	}
	o.ref = narg;
	if (Narg && (!*Narg || strlen(Narg) > 35))
		sme_die(SME_EX_USAGE, "-N: document number %s has %zu characters: MSCONS allows 1 to 35",
		    sme_shown(Narg), strlen(Narg));
	o.docno = Narg;
	o.missing = eflag;
	o.fullobis = Fflag;
	o.rffmg = Mflag;
	/* AHB 13018 (FV2210): Z92 interpolation, Z75 communication failure (inferred) */
	o.stsmethod = "Z92";
	o.stsreason = "Z75";
	if (Sarg) {
		char *q = strchr(Sarg, ',');

		if (!q || !code3(Sarg, q) || !code3(q + 1, q + 1 + strlen(q + 1)))
			sme_die(SME_EX_USAGE, "-S: \"%s\": two codes method,reason (1 to 3 of A-Z, 0-9)",
			    sme_shown(Sarg));
		*q = '\0';
		o.stsmethod = Sarg;
		o.stsreason = q + 1;
	}
	/* 2.4a is all UTC; 2.2e local time in -z */
	if (o.release == 24)
		sme_zone_set("UTC");
	if (oarg) {
		for (p = oarg + strlen(oarg); p > oarg + 1 && p[-1] == '/'; p--)
			;
		oarg[p - oarg] = '\0';
		nameok(sarg, "the sender");
		nameok(Rarg, "the receiver");
		if (narg)
			nameok(narg, "the reference");
		fd = opendir_tmp(oarg);
		if ((outfd = dup(STDOUT_FILENO)) < 0 || (syncfd = dup(fd)) < 0 ||
		    dup2(fd, STDOUT_FILENO) < 0)
			sme_die(SME_EX_LOCAL, "cannot write %s:", sme_shown(tmppath));
		close(fd);
	}

	sme_out_hold(1);
	m = sme_mscons_new(&o);
	rd = sme_reader_open(argv, argc);
	while (sme_reader_next(rd, &r))
		sme_mscons_add(m, &r);
	if (!sme_reader_count(rd))
		sme_die_at(SME_EX_DATA, sme_filename(argc ? argv[argc - 1] : "-"), 0, "no records");
	sme_reader_close(rd);
	sme_mscons_finish(m, ref, day);
	sme_out_finish();
	if (oarg) {
		if (fsync(syncfd) < 0 || close(syncfd) < 0)
			sme_die(SME_EX_LOCAL, "cannot write %s:", sme_shown(tmppath));
		nameok(ref, "the reference");
		snprintf(final, sizeof final, "%s/MSCONS_TL_%s_%s_%s_%s.txt", oarg, sarg, Rarg, day, ref);
		/* renamed and forgotten at once: no signal in between */
		holdsigs(1);
		if (rename(tmppath, final) < 0) {
			holdsigs(0);
			sme_die(SME_EX_LOCAL, "cannot rename %s to %s:", sme_shown(tmppath),
			    sme_shown(final));
		}
		tmpset = 0;
		holdsigs(0);
		if ((fd = open(oarg, O_RDONLY)) >= 0) {
			if (fsync(fd) < 0 && errno != EINVAL)
				sme_die(SME_EX_LOCAL, "cannot sync %s:", sme_shown(oarg));
			close(fd);
		}
		if (dup2(outfd, STDOUT_FILENO) < 0)
			sme_die(SME_EX_LOCAL, "write error on standard output:");
		printf("%s\n", final);
		if (fflush(stdout) == EOF || ferror(stdout) || fclose(stdout) == EOF)
			sme_die(SME_EX_LOCAL, "write error on standard output:");
	}
	return SME_EX_OK;
}
