/* sme: buffered standard output, held back until the input was good; licence in COPYING */
#include <sys/sendfile.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"

#define BUFSZ (256u << 10)

static char *buf;		/* BUFSZ, or SME_OUT_MEM while holding */
static size_t cap, len;
static int hold;		/* keep everything until sme_out_finish */
static int direct;		/* holding, but into stdout, a regular file */
static off_t dstart;		/* where our output starts in that file */
static int finished;
static FILE *spool;		/* unlinked temporary file, once mem is full */
static off_t drained;		/* bytes that left buf (for sme_out_patch) */
static int nulled;		/* holding was dropped: stdout is /dev/null */
static off_t cstart = -1;	/* copying held output into a regular file from here */

int
sme_write_all(int fd, const void *buf, size_t n)
{
	const char *p = buf;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

/*
 * Held output copied at the end into a regular file (one that stderr
 * shares: >f 2>&1, nohup.out) is cut back to where the copy began when it
 * fails or a signal comes.  Async-signal-safe; keeps errno.
 */
static void
uncopy(void)
{
	int e = errno;

	if (cstart >= 0 && !finished && ftruncate(STDOUT_FILENO, cstart) == 0)
		lseek(STDOUT_FILENO, cstart, SEEK_SET);	/* the message goes there */
	cstart = -1;
	errno = e;
}

/* a failure while held output goes out: cut back first, then the message */
#define OUTDIE(msg) do { uncopy(); sme_die(SME_EX_LOCAL, msg); } while (0)

static void
writeall(int fd, const char *p, size_t n)
{
	if (sme_write_all(fd, p, n) < 0)
		OUTDIE("write error on standard output:");
}

FILE *
sme_tmpfile(void)
{
	const char *dir = getenv("TMPDIR");
	char path[4096];
	FILE *f;
	int fd;

	snprintf(path, sizeof path, "%s/sme.XXXXXX", dir && *dir ? dir : "/tmp");
	fd = mkstemp(path);
	if (fd < 0)
		sme_die(SME_EX_LOCAL, "cannot create a temporary file in %s:",
		    sme_shown(dir && *dir ? dir : "/tmp"));
	unlink(path);
	f = fdopen(fd, "w+");
	if (!f)
		sme_die(SME_EX_LOCAL, "cannot create a temporary file:");
	return f;
}

/*
 * A program that exits without sme_out_finish() failed, or a signal
 * (TERM, INT, HUP) ends it: cut the file back.  Async-signal-safe.
 */
static void
cutback(void)
{
	if (direct && !finished && ftruncate(STDOUT_FILENO, dstart) < 0)
		return;		/* nothing more can be done at exit */
}

static int
samefile(int a, int b)
{
	struct stat x, y;

	return fstat(a, &x) == 0 && fstat(b, &y) == 0 && x.st_dev == y.st_dev &&
	    x.st_ino == y.st_ino;
}

int
sme_out_isinput(int fd)
{
	struct stat st;

	return fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    samefile(fd, STDOUT_FILENO);
}

/*
 * Held output needs no copy when stdout is /dev/null (nobody reads it) or
 * a regular file of its own: it is written in place, and cut back to its
 * old size if the program fails.  Pipes, terminals and a file shared with
 * stderr get the memory and temporary file.
 */
static void
choose(void)
{
	struct stat st, nul;
	int fl;

	if (fstat(STDOUT_FILENO, &st) < 0)
		return;
	if (S_ISCHR(st.st_mode) && stat("/dev/null", &nul) == 0 &&
	    S_ISCHR(nul.st_mode) && st.st_rdev == nul.st_rdev) {
		hold = 0;
		nulled = 1;
		return;
	}
	if (!S_ISREG(st.st_mode))
		return;
	if (samefile(STDOUT_FILENO, STDERR_FILENO)) {
		/* held, for messages must not land inside the output */
		atexit(uncopy);
		sme_sig_atcleanup(uncopy);
		return;
	}
	fl = fcntl(STDOUT_FILENO, F_GETFL);
	dstart = fl >= 0 && fl & O_APPEND ? st.st_size :
	    lseek(STDOUT_FILENO, 0, SEEK_CUR);
	if (fl < 0 || dstart < 0)
		return;
	direct = 1;
	atexit(cutback);
	sme_sig_atcleanup(cutback);
}

static void
init(void)
{
	if (buf)
		return;
	/* a closed pipe is a write error (exit 6), not a silent signal */
	signal(SIGPIPE, SIG_IGN);
	/* so is a file grown past ulimit -f: cut back, not killed (EFBIG) */
	signal(SIGXFSZ, SIG_IGN);
	if (hold)
		choose();
	cap = hold && !direct ? SME_OUT_MEM : BUFSZ;
	buf = emalloc(cap);
}

static void
drain(void)
{
	if (!len)
		return;
	drained += (off_t)len;
	if (!hold || direct) {
		writeall(STDOUT_FILENO, buf, len);
	} else {
		if (!spool)
			spool = sme_tmpfile();
		if (fwrite(buf, 1, len, spool) != len)
			sme_die(SME_EX_LOCAL, "cannot write temporary file:");
	}
	len = 0;
}

void
sme_out_hold(int h)
{
	if (buf)
		sme_out_finish();
	hold = h;
}

char *
sme_out_reserve(size_t n)
{
	init();
	if (cap - len < n) {
		drain();
		if (cap < n) {
			cap = n;
			buf = erealloc(buf, cap);
		}
	}
	return buf + len;
}

void
sme_out_commit(size_t used)
{
	len += used;
}

int
sme_out_patch(off_t off, const void *p, size_t n)
{
	const char *s = p;
	size_t k;

	init();
	if (nulled)
		return 0;
	if (!hold || off < 0 || off + (off_t)n > drained + (off_t)len)
		return -1;
	if (off < drained) {
		k = off + (off_t)n <= drained ? n : (size_t)(drained - off);
		if (direct) {
			/* Linux's pwrite appends on O_APPEND (>>): lift it meanwhile */
			int fl = fcntl(STDOUT_FILENO, F_GETFL);

			if (fl < 0 || (fl & O_APPEND &&
			    fcntl(STDOUT_FILENO, F_SETFL, fl & ~O_APPEND) < 0) ||
			    pwrite(STDOUT_FILENO, s, k, dstart + off) != (ssize_t)k ||
			    (fl & O_APPEND && fcntl(STDOUT_FILENO, F_SETFL, fl) < 0))
				sme_die(SME_EX_LOCAL, "write error on standard output:");
		} else if (fflush(spool) == EOF ||
		    pwrite(fileno(spool), s, k, off) != (ssize_t)k) {
			sme_die(SME_EX_LOCAL, "cannot write temporary file:");
		}
		s += k;
		off += (off_t)k;
		n -= k;
	}
	if (n)
		memcpy(buf + (off - drained), s, n);
	return 0;
}

off_t
sme_out_offset(void)
{
	init();
	return drained + (off_t)len;
}

void
sme_out_discard(void)
{
	len = 0;
	drained = 0;
	if (direct && (ftruncate(STDOUT_FILENO, dstart) < 0 ||
	    lseek(STDOUT_FILENO, dstart, SEEK_SET) < 0))
		sme_die(SME_EX_LOCAL, "cannot cut back standard output:");
	if (spool) {
		fclose(spool);
		spool = NULL;
	}
}

/*
 * The spool to stdout: sendfile(2) moves the pages without copying them
 * through this process (pipes, files, sockets); where it cannot, read
 * and write.
 */
static void
unspool(void)
{
	char *tmp;
	off_t off = 0, end;
	ssize_t w;
	size_t n;
	int fd;

	if (fflush(spool) == EOF || (end = lseek(fd = fileno(spool), 0, SEEK_END)) < 0)
		OUTDIE("cannot read temporary file:");
	while (off < end) {
		w = sendfile(STDOUT_FILENO, fd, &off, (size_t)(end - off) > (1u << 30) ?
		    (1u << 30) : (size_t)(end - off));
		if (w > 0)
			continue;
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && (errno == EINVAL || errno == ENOSYS || errno == EOPNOTSUPP))
			break;		/* not for this stdout: copy */
		if (w == 0)
			OUTDIE("cannot read temporary file: it is shorter");
		OUTDIE("write error on standard output:");
	}
	if (off < end) {
		tmp = buf;	/* the hold buffer is free: its bytes went before */
		if (fseeko(spool, off, SEEK_SET) != 0)
			OUTDIE("cannot read temporary file:");
		while ((n = fread(tmp, 1, cap, spool)) > 0)
			writeall(STDOUT_FILENO, tmp, n);
		if (ferror(spool))
			OUTDIE("cannot read temporary file:");
	}
	fclose(spool);
	spool = NULL;
}

void
sme_out_finish(void)
{
	struct stat st;
	int fl;

	init();
	if (spool)
		drain();	/* the rest of the buffer after the spool */
	if (hold && !direct && !nulled && (spool || len) &&
	    fstat(STDOUT_FILENO, &st) == 0 && S_ISREG(st.st_mode) &&
	    (fl = fcntl(STDOUT_FILENO, F_GETFL)) >= 0)
		cstart = fl & O_APPEND ? st.st_size : lseek(STDOUT_FILENO, 0, SEEK_CUR);
	if (spool)
		unspool();
	if (len)
		writeall(STDOUT_FILENO, buf, len);
	len = 0;
	if (fflush(stdout) == EOF || ferror(stdout))
		OUTDIE("write error on standard output:");
	if (close(STDOUT_FILENO) < 0 && errno != EBADF)
		OUTDIE("write error on standard output:");
	finished = 1;
}
