/* sme: delivery into a local folder (file:// URLs); licence in COPYING */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sme.h"

#define BUFSZ (1u << 20)

static int
file_connect(struct sme_xfer *x)
{
	(void)x;
	return 0;
}

static void
file_close(struct sme_xfer *x)
{
	(void)x;
}

/*
 * Walks the folders of dir ("/a/b/"), creating them when make is set.
 * Returns 0, or SME_EX_LOCAL with the message in x->err.
 */
static int
walkdirs(struct sme_xfer *x, const char *dir, int make)
{
	char *d = estrdup(dir), *s;
	struct stat st;
	int rc = 0;

	for (s = d + 1; *s && rc == 0; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (make && mkdir(d, 0777) < 0 && errno != EEXIST)
			rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot create folder "
			    "%s: %s", d, strerror(errno));
		else if (stat(d, &st) < 0)
			rc = sme_xfer_fail(x, SME_EX_LOCAL, "folder %s does not "
			    "exist%s", dir, make ? "" : " (-m creates it)");
		else if (!S_ISDIR(st.st_mode))
			rc = sme_xfer_fail(x, SME_EX_LOCAL, "%s is not a folder", d);
		*s = '/';
	}
	free(d);
	return rc;
}

static int
file_remove(struct sme_xfer *x, const char *name)
{
	char *path = sme_xfer_path(x, name);
	int rc = unlink(path) < 0 && errno != ENOENT ? -1 : 0;

	free(path);
	return rc;
}

/* the local file being sent is this one (same device and inode) */
static int
issource(const struct sme_put *p, const struct stat *st)
{
	struct stat s;

	return fstat(p->fd, &s) == 0 && s.st_dev == st->st_dev &&
	    s.st_ino == st->st_ino;
}

/*
 * -R: the final name, opened without following a symbolic link there (a
 * link planted in a shared folder would send the bytes elsewhere) and only
 * if it is a regular file or none; truncated once it is known not to be
 * the file being sent.  Returns the descriptor, or -1 with *rc set.
 */
static int
open_final(struct sme_xfer *x, struct sme_put *p, const char *path, int *rc)
{
	struct stat st;
	int fd, e, fl;

	fd = open(path, O_WRONLY | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
	    0666);
	if (fd < 0) {
		e = errno;
		if (lstat(path, &st) < 0)
			st.st_mode = 0;
		if (S_ISLNK(st.st_mode))
			*rc = sme_xfer_fail(x, SME_EX_SAFETY, "%s is a symbolic "
			    "link: -R does not write through it", path);
		else if (e == ENXIO && st.st_mode && !S_ISREG(st.st_mode) &&
		    !S_ISDIR(st.st_mode))	/* a FIFO nobody reads */
			*rc = sme_xfer_fail(x, SME_EX_SAFETY, "%s is not a "
			    "regular file: -R writes only into one", path);
		else if (e == ENOENT || e == ENOTDIR)
			*rc = -2;	/* the folder: walkdirs() says more */
		else
			*rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot create a file "
			    "in %s: %s", x->url->dir, strerror(e));
		errno = e;
		return -1;
	}
	if (fstat(fd, &st) < 0 || !S_ISREG(st.st_mode)) {
		*rc = fstat(fd, &st) < 0 ? sme_xfer_fail(x, SME_EX_LOCAL, "cannot "
		    "read %s: %s", path, strerror(errno)) :
		    sme_xfer_fail(x, SME_EX_SAFETY, "%s is not a regular file: "
		    "-R writes only into one", path);
	} else if (issource(p, &st)) {
		*rc = sme_xfer_fail(x, SME_EX_USAGE, "%s: input file is output "
		    "file: not delivered", sme_filename(p->path));
	} else if ((fl = fcntl(fd, F_GETFL)) < 0 ||
	    fcntl(fd, F_SETFL, fl & ~O_NONBLOCK) < 0 || ftruncate(fd, 0) < 0) {
		*rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot write in %s: %s",
		    x->url->dir, strerror(errno));
	} else {
		return fd;
	}
	close(fd);
	return -1;
}

static int
open_tmp(struct sme_xfer *x, struct sme_put *p, const char *path, int *rc)
{
	int fd;

	if (x->opt->direct)
		return open_final(x, p, path, rc);
	/* O_EXCL: never through a symbolic link, never an old file */
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
	    0666);
	if (fd < 0)
		*rc = errno == ENOENT || errno == ENOTDIR ? -2 :
		    sme_xfer_fail(x, SME_EX_LOCAL, "cannot create a file in %s: "
		    "%s", x->url->dir, strerror(errno));
	return fd;
}

static int
file_put(struct sme_xfer *x, struct sme_put *p)
{
	const char *dir = x->url->dir;
	char *tmp = sme_xfer_path(x, p->tmp), *final = sme_xfer_path(x, p->name);
	char *buf = NULL;
	struct stat st;
	long n;
	int fd, dfd, rc = 0, kept = 0;

	fd = open_tmp(x, p, tmp, &rc);
	if (fd < 0 && rc == -2) {
		rc = 0;
		if (walkdirs(x, dir, x->opt->mkdirs) != 0) {
			rc = SME_EX_LOCAL;
			goto out;
		}
		if ((fd = open_tmp(x, p, tmp, &rc)) < 0 && rc == -2)
			rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot create a file "
			    "in %s: %s", dir, strerror(errno));
	}
	if (fd < 0)
		goto out;
	p->left = 1;
	buf = emalloc(BUFSZ);
	while ((n = sme_put_read(x, p, buf, BUFSZ)) > 0)
		if (sme_write_all(fd, buf, (size_t)n) < 0) {
			rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot write in %s: %s",
			    dir, strerror(errno));
			break;
		}
	if (n < 0)
		rc = SME_EX_LOCAL;
	if (rc == 0 && fsync(fd) < 0)
		rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot write in %s: %s", dir,
		    strerror(errno));
	if (rc == 0 && fstat(fd, &st) == 0 && st.st_size != p->size)
		rc = sme_xfer_fail(x, SME_EX_LOCAL, "%s holds %lld bytes, not "
		    "%lld", tmp, (long long)st.st_size, (long long)p->size);
	if (close(fd) < 0 && rc == 0)
		rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot write in %s: %s", dir,
		    strerror(errno));
	/* the source itself under the final name: not replaced by its copy */
	if (rc == 0 && !x->opt->direct && lstat(final, &st) == 0 &&
	    issource(p, &st))
		rc = sme_xfer_fail(x, SME_EX_USAGE, "%s: input file is output "
		    "file: not delivered", sme_filename(p->path));
	else if (rc == 0 && !x->opt->direct && rename(tmp, final) < 0) {
		rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot rename %s to %s: %s",
		    tmp, final, strerror(errno));
		/* whole and checked, but not renamed: it stays */
		kept = lstat(tmp, &st) == 0;
	}
	if (rc == 0) {
		p->left = 0;
		if ((dfd = open(*dir ? dir : ".", O_RDONLY | O_DIRECTORY)) >= 0) {
			fsync(dfd);
			close(dfd);
		}
	} else if (kept) {
		sme_xfer_kept(x, p);
	} else if (unlink(tmp) == 0 || errno == ENOENT) {
		p->left = 0;
	}
out:
	free(buf);
	free(tmp);
	free(final);
	return rc;
}

/*
 * file://: a local file that is the file it would be delivered to (the
 * same device and inode, as the filters check their output) is refused:
 * -R would truncate it before reading it, and a copy renamed onto it
 * delivers nothing.  Standard input is read before it is written, but it
 * is refused all the same.
 */
void
sme_file_notself(const struct sme_url *u, const char *file, const char *name)
{
	struct stat src, dst;
	char *path, *url;
	const char *shown;
	int r;

	if (u->scheme != SME_FILE)
		return;
	r = strcmp(file, "-") ? stat(file, &src) : fstat(STDIN_FILENO, &src);
	if (r < 0 || !S_ISREG(src.st_mode))
		return;
	path = emalloc(strlen(u->dir) + strlen(name) + 1);
	strcpy(path, u->dir);
	strcat(path, name);
	if (lstat(path, &dst) == 0 && dst.st_dev == src.st_dev &&
	    dst.st_ino == src.st_ino) {
		url = sme_url_string(u, name);
		shown = sme_shown(url);
		free(url);
		free(path);
		sme_die(SME_EX_USAGE, "%s: input file is output file (%s): "
		    "nothing sent", strcmp(file, "-") ? sme_shown(file) :
		    "<stdin>", shown);
	}
	free(path);
}

const struct sme_proto sme_proto_file = {
	file_connect, file_put, file_remove, file_close
};
