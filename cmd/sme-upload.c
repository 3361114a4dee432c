/* sme-upload: deliver files to ftp://, ftps://, ftpes://, sftp:// or file:// atomically; licence in COPYING */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <curl/curl.h>
#include <openssl/crypto.h>

#include "sme.h"

#define USAGE "sme-upload [-C cafile] [-K known_hosts] [-H sha256-fingerprint] " \
	"[-i keyfile] [-P password-file] [-Q passphrase-file] [-r retries] " \
	"[-n name] [-m] [-k] [-R] url [file ...]"

static char *Carg, *Karg, *Harg, *iarg, *Parg, *Qarg, *narg;
static int rarg = 3, mflag, kflag, Rflag;

static long
envlong(const char *name, long def, long min, long max)
{
	const char *s = getenv(name);
	char *end;
	long v;

	if (!s || !*s)
		return def;
	errno = 0;
	v = strtol(s, &end, 10);
	if (errno || *end || v < min || v > max)
		sme_die(SME_EX_USAGE, "bad %s: %s (want %ld to %ld)", name, sme_shown(s), min,
		    max);
	return v;
}

static double
envsecs(const char *name, double def)
{
	const char *s = getenv(name);
	char *end;
	double v;

	if (!s || !*s)
		return def;
	v = strtod(s, &end);
	if (*end || !(v >= 0 && v <= 3600))
		sme_die(SME_EX_USAGE, "bad %s: %s (want seconds, 0 to 3600)", name,
		    sme_shown(s));
	return v;
}

static int
tlsmax(void)
{
	const char *s = getenv("SME_UPLOAD_TLS_MAX");

	if (!s || !*s)
		return 0;
	if (!strcmp(s, "1.2"))
		return 12;
	if (!strcmp(s, "1.3"))
		return 13;
	sme_die(SME_EX_USAGE, "bad SME_UPLOAD_TLS_MAX: %s (want 1.2 or 1.3)", sme_shown(s));
}

/*
 * $name as a secret (a line break in it exits 2); empty is unset.  The
 * environment's copy is wiped and removed: one copy stays, ours.
 */
static char *
envsecret(const char *name)
{
	char *s = sme_secret_env(name), *v = getenv(name);

	if (v)
		sme_secret_wipe(v, strlen(v));
	unsetenv(name);
	if (s && !*s) {
		free(s);
		s = NULL;
	}
	return s;
}

static void *
ossl_malloc(size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return malloc(n ? n : 1);
}

static void *
ossl_realloc(void *p, size_t n, const char *file, int line)
{
	(void)file;
	(void)line;
	return sme_secret_realloc(p, n);
}

static void
ossl_free(void *p, const char *file, int line)
{
	(void)file;
	(void)line;
	sme_secret_freemem(p);
}

/* an option the url's scheme has no use for is a mistake */
static void
applies(const struct sme_url *u)
{
	const char *o = Harg ? "-H" : Karg ? "-K" : iarg ? "-i" : Qarg ? "-Q" :
	    NULL;

	if (o && u->scheme != SME_SFTP)
		sme_die(SME_EX_USAGE, "%s is for sftp:// urls only", o);
	if (Carg && u->scheme != SME_FTPS && u->scheme != SME_FTPES)
		sme_die(SME_EX_USAGE, "-C is for ftps:// and ftpes:// urls only");
	if (kflag && Harg)
		sme_die(SME_EX_USAGE, "-k and -H contradict each other: give one");
}

/* user, password and passphrase, from the url, files, environment, netrc */
static void
credentials(struct sme_url *u, struct sme_xfer_opt *o)
{
	char *login = NULL, *pw = NULL;
	int needpw = u->scheme != SME_SFTP || !iarg;

	if (u->scheme == SME_FILE)
		return;
	if (Parg)
		o->password = sme_secret_file(Parg, "password");
	else
		o->password = envsecret("SME_UPLOAD_PASSWORD");
	if (!u->user || (needpw && !o->password))
		sme_netrc_find(u->host, u->user, &login, &pw);
	if (!u->user && login) {
		u->user = login;
		login = NULL;
	}
	if (!o->password && needpw)
		o->password = pw;
	else
		sme_secret_free(pw);
	sme_secret_free(login);
	if (!u->user)
		sme_die(SME_EX_USAGE, "no user name for %s: give it in the url "
		    "(%s://user@%s/) or in ~/.netrc", sme_shown(u->host),
		    u->scheme == SME_SFTP ? "sftp" : "ftp", sme_shown(u->host));
	if (needpw && !o->password)
		sme_die(SME_EX_USAGE, "no password for %s at %s: set "
		    "SME_UPLOAD_PASSWORD, give a file with -P, or add the host to "
		    "~/.netrc%s", sme_shown(u->user), sme_shown(u->host),
		    u->scheme == SME_SFTP ? " (or use a key: -i)" : "");
	if (iarg && u->scheme == SME_SFTP)
		o->passphrase = Qarg ? sme_secret_file(Qarg, "passphrase") :
		    envsecret("SME_UPLOAD_PASSPHRASE");
}

/* the remote name of file: from the url, -n, or the local name */
static const char *
remote_name(const struct sme_url *u, const char *file)
{
	const char *s;

	if (u->name)
		return u->name;
	if (!strcmp(file, "-"))
		return narg;
	s = strrchr(file, '/');
	s = s ? s + 1 : file;
	if (sme_name_check(s) < 0)
		sme_die(SME_EX_USAGE, "%s: cannot name a remote file after it; "
		    "give the name in the url", sme_shown(file));
	return s;
}

/* a -K or -C file that is no regular file would read as empty */
static void
regular(const char *path, const char *what)
{
	struct stat st;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 || fstat(fd, &st) < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s file %s:", what, sme_shown(path));
	close(fd);
	if (!S_ISREG(st.st_mode))
		sme_die(SME_EX_LOCAL, "%s file %s: not a regular file", what, sme_shown(path));
}

static int
namecmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/*
 * Every local file readable, every name fit for a receipt, no two files
 * for one remote name, and none that is its own target, before anything
 * goes out.
 */
static void
precheck(const struct sme_url *u, char **files, int n)
{
	struct stat st;
	char **names;
	int i, fd;

	names = ecalloc((size_t)n, sizeof *names);
	for (i = 0; i < n; i++) {
		if (sme_receipt_utf8(files[i]) < 0)
			sme_die(SME_EX_USAGE, "%s: the name is not UTF-8, which a "
			    "receipt cannot hold: rename the file, or send it from "
			    "standard input (-n name)", sme_shown(files[i]));
		names[i] = (char *)remote_name(u, files[i]);
	}
	qsort(names, (size_t)n, sizeof *names, namecmp);	/* equal ones meet */
	for (i = 1; i < n; i++)
		if (!strcmp(names[i - 1], names[i]))
			sme_die(SME_EX_USAGE, "two files for the remote name %s: "
			    "nothing sent", sme_shown(names[i]));
	free(names);
	for (i = 0; i < n; i++) {
		sme_file_notself(u, files[i], remote_name(u, files[i]));
		if (!strcmp(files[i], "-"))
			continue;
		if (stat(files[i], &st) < 0)
			sme_die(SME_EX_LOCAL, "cannot open %s:", sme_shown(files[i]));
		if (S_ISDIR(st.st_mode)) {
			errno = EISDIR;
			sme_die(SME_EX_LOCAL, "cannot read %s:", sme_shown(files[i]));
		}
		if (!S_ISREG(st.st_mode))
			continue;	/* a pipe: opened once, when it is read */
		if ((fd = open(files[i], O_RDONLY | O_CLOEXEC)) < 0)
			sme_die(SME_EX_LOCAL, "cannot open %s:", sme_shown(files[i]));
		close(fd);
	}
}

/* fd's bytes in TMPDIR, or the end with a message on what failed */
static int
spool(int fd, const char *name)
{
	const char *dir = getenv("TMPDIR");
	int sp = sme_spool(fd);

	if (sp == -2)	/* a full disk, ulimit -f: EFBIG, SIGXFSZ is ignored */
		sme_die(SME_EX_LOCAL, "cannot hold %s in %s:", name,
		    sme_shown(dir && *dir ? dir : "/tmp"));
	if (sp < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s:", name);
	return sp;
}

/* a descriptor with the file's bytes at offset 0, lseek-able */
static int
openlocal(const char *file)
{
	struct stat st;
	int fd, sp;

	if (!strcmp(file, "-"))
		return spool(STDIN_FILENO, "<stdin>");
	if ((fd = open(file, O_RDONLY | O_CLOEXEC)) < 0)
		sme_die(SME_EX_LOCAL, "cannot open %s:", sme_shown(file));
	if (fstat(fd, &st) < 0)
		sme_die(SME_EX_LOCAL, "cannot read %s:", sme_shown(file));
	if (S_ISREG(st.st_mode))
		return fd;
	sp = spool(fd, sme_shown(file));	/* a pipe, a device: copy it first */
	close(fd);
	return sp;
}

int
main(int argc, char *argv[])
{
	static char *stdin_only[] = { "-", NULL };
	struct sme_xfer_opt o;
	struct sme_xfer *x;
	struct sme_url u;
	char err[512], *end, **files;
	int c, i, n, nstdin = 0, fd, status = SME_EX_OK;

	sme_setprog(argv[0]);
	sme_secret_protect();	/* before any secret is read */
	/* what libcurl, libssh2 and OpenSSL free is wiped: no stale copies */
	CRYPTO_set_mem_functions(ossl_malloc, ossl_realloc, ossl_free);
	if (curl_global_init_mem(CURL_GLOBAL_DEFAULT, malloc, sme_secret_freemem,
	    sme_secret_realloc, strdup, calloc) != CURLE_OK)
		sme_die(SME_EX_LOCAL, "cannot initialise libcurl");
	/* a signal is noted; the transfer stops, removes its temporary file */
	sme_sig_catch();
	sme_sig_defer(1);
	signal(SIGPIPE, SIG_IGN);	/* a lost connection is an error, not a kill */
	/* a file:// file past ulimit -f: EFBIG, a write error (exit 6), cleaned up */
	signal(SIGXFSZ, SIG_IGN);
	while ((c = sme_getopt(argc, argv, "C:K:H:i:P:Q:r:n:mkRhV", NULL)) != -1) {
		switch (c) {
		case 'C': Carg = optarg; break;
		case 'K': Karg = optarg; break;
		case 'H': Harg = optarg; break;
		case 'i': iarg = optarg; break;
		case 'P': Parg = optarg; break;
		case 'Q': Qarg = optarg; break;
		case 'n': narg = optarg; break;
		case 'm': mflag = 1; break;
		case 'k': kflag = 1; break;
		case 'R': Rflag = 1; break;
		case 'r':
			errno = 0;
			rarg = (int)strtol(optarg, &end, 10);
			if (errno || *end || !*optarg || rarg < 0 || rarg > 100)
				sme_die(SME_EX_USAGE, "bad retries: %s (want 0 to 100)",
				    sme_shown(optarg));
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
	if (argc < 1)
		sme_usage(USAGE);
	if (sme_url_parse(&u, argv[0], err, sizeof err) < 0)
		sme_die(SME_EX_USAGE, "%s", err);
	applies(&u);
	files = argc > 1 ? argv + 1 : stdin_only;
	n = argc > 1 ? argc - 1 : 1;
	for (i = 0; i < n; i++)
		nstdin += !strcmp(files[i], "-");
	if (nstdin > 1)
		sme_die(SME_EX_USAGE, "standard input (-) given more than once");
	if (n > 1 && u.name)
		sme_die(SME_EX_USAGE, "%d files need a folder url (ending in /)", n);
	if (narg && !nstdin)
		sme_die(SME_EX_USAGE, "-n names standard input (-), which is not "
		    "among the files");
	if (narg && u.name)
		sme_die(SME_EX_USAGE, "-n and a file name in the url: give one");
	if (narg && sme_name_check(narg) < 0)
		sme_die(SME_EX_USAGE, "bad remote name: %s", sme_shown(narg));
	if (nstdin && !narg && !u.name)
		sme_die(SME_EX_USAGE, "standard input needs a remote name: -n name, "
		    "or a file name in the url");
	if (Harg && strncmp(Harg, "SHA256:", 7))
		sme_die(SME_EX_USAGE, "bad fingerprint: %s (want SHA256:...)", sme_shown(Harg));

	memset(&o, 0, sizeof o);
	o.cafile = Carg;
	o.known_hosts = Karg;
	o.fingerprint = Harg;
	o.keyfile = iarg;
	o.retries = rarg;
	o.mkdirs = mflag;
	o.insecure = kflag;
	o.direct = Rflag;
	o.progress = isatty(STDERR_FILENO);
	o.timeout = envlong("SME_UPLOAD_TIMEOUT", 30, 1, 86400);
	o.backoff = envsecs("SME_UPLOAD_BACKOFF", 1);
	o.tlsmax = tlsmax();
	if (Carg)
		regular(Carg, "CA");
	if (Karg)
		regular(Karg, "known hosts");
	precheck(&u, files, n);
	credentials(&u, &o);

	x = sme_xfer_new(&u, &o);
	for (i = 0; i < n && status == SME_EX_OK; i++) {
		fd = openlocal(files[i]);
		status = sme_xfer_put(x, files[i], fd, remote_name(&u, files[i]));
		close(fd);
	}
	sme_xfer_free(x);
	sme_url_free(&u);
	if (fclose(stdout) == EOF)
		sme_die(SME_EX_LOCAL, "write error on standard output:");
	return status;
}
