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

static int
file_put(struct sme_xfer *x, struct sme_put *p)
{
	const char *dir = x->url->dir;
	char *tmp = sme_xfer_path(x, p->tmp), *final = sme_xfer_path(x, p->name);
	char *buf = NULL;
	struct stat st;
	long n;
	int fd, dfd, rc = 0, flags = O_WRONLY | O_CREAT | O_CLOEXEC;

	flags |= x->opt->direct ? O_TRUNC : O_EXCL;
	fd = open(tmp, flags, 0666);
	if (fd < 0 && (errno == ENOENT || errno == ENOTDIR)) {
		if (walkdirs(x, dir, x->opt->mkdirs) != 0) {
			rc = SME_EX_LOCAL;
			goto out;
		}
		fd = open(tmp, flags, 0666);
	}
	if (fd < 0) {
		rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot create a file in %s: "
		    "%s", dir, strerror(errno));
		goto out;
	}
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
	if (rc == 0 && !x->opt->direct && rename(tmp, final) < 0)
		rc = sme_xfer_fail(x, SME_EX_LOCAL, "cannot rename %s to %s: %s",
		    tmp, final, strerror(errno));
	if (rc == 0) {
		p->left = 0;
		if ((dfd = open(*dir ? dir : ".", O_RDONLY | O_DIRECTORY)) >= 0) {
			fsync(dfd);
			close(dfd);
		}
	} else if (unlink(tmp) == 0 || errno == ENOENT) {
		p->left = 0;
	}
out:
	free(buf);
	free(tmp);
	free(final);
	return rc;
}

const struct sme_proto sme_proto_file = {
	file_connect, file_put, file_remove, file_close
};
