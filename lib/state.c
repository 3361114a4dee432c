/* sme: sme-export's state per job: written atomically, read strictly, locked; licence in COPYING */
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "sme.h"

json_t *
sme_state_text(const char *s)
{
	json_t *v = json_string(s ? s : "");

	if (v)
		return v;
	/* not UTF-8 (or a NUL): the text as messages show it (sme(7)) */
	return json_string(sme_shown(s));
}

static char *
path(const char *dir, const char *job, const char *suffix)
{
	size_t n = strlen(dir) + strlen(job) + strlen(suffix) + 2;
	char *p = emalloc(n);

	snprintf(p, n, "%s/%s%s", dir, job, suffix);
	return p;
}

static int
gettime(json_t *o, const char *k, int64_t *t, int required)
{
	json_t *v = json_object_get(o, k);
	int64_t ns;

	if (!v)
		return required ? -1 : 0;
	if (!json_is_string(v) || sme_time_parse(&ns, json_string_value(v),
	    json_string_length(v)) < 0 || ns % SME_NS)
		return -1;
	*t = ns / SME_NS;
	return 0;
}

static int
getstr(json_t *o, const char *k, char **s)
{
	json_t *v = json_object_get(o, k);

	if (!v)
		return 0;
	if (!json_is_string(v))
		return -1;
	*s = estrdup(json_string_value(v));
	return 0;
}

int
sme_state_load(const char *dir, const char *job, struct sme_state *st,
    char *err, size_t errlen, int *status)
{
	char *p = path(dir, job, ".json");
	json_error_t e;
	struct stat sb;
	json_t *root, *last, *wait;
	const char *k;
	json_t *v;

	memset(st, 0, sizeof *st);
	/* a state is a few hundred bytes: anything else is not ours */
	if (stat(p, &sb) == 0 && (!S_ISREG(sb.st_mode) || sb.st_size > 65536)) {
		snprintf(err, errlen, "%s: corrupt state (%s); nothing was changed: "
		    "repair or remove the file", p, S_ISREG(sb.st_mode) ?
		    "larger than 64 KB" : "not a regular file");
		*status = SME_EX_DATA;
		free(p);
		return -1;
	}
	root = json_load_file(p, JSON_REJECT_DUPLICATES, &e);
	if (!root) {
		if (access(p, F_OK) < 0 && errno == ENOENT) {
			free(p);
			return 0;
		}
		if (access(p, R_OK) < 0) {
			snprintf(err, errlen, "%s: %s", p, strerror(errno));
			*status = SME_EX_LOCAL;
		} else {
			snprintf(err, errlen, "%s:%d: corrupt state (%s); nothing "
			    "was changed: repair or remove the file", p,
			    e.line > 0 ? e.line : 1, e.text);
			*status = SME_EX_DATA;
		}
		free(p);
		return -1;
	}
	*status = SME_EX_DATA;
	if (!json_is_object(root))
		goto corrupt;
	json_object_foreach(root, k, v)
		if (strcmp(k, "job") && strcmp(k, "start") && strcmp(k, "next") &&
		    strcmp(k, "last") && strcmp(k, "waiting"))
			goto corrupt;
	v = json_object_get(root, "job");
	if (!json_is_string(v) || strcmp(json_string_value(v), job))
		goto corrupt;
	if (getstr(root, "start", &st->start) < 0 || !st->start ||
	    gettime(root, "next", &st->next, 1) < 0)
		goto corrupt;
	if ((last = json_object_get(root, "last"))) {
		if (!json_is_object(last) ||
		    getstr(last, "period", &st->last_period) < 0 ||
		    getstr(last, "file", &st->last_file) < 0 ||
		    getstr(last, "sha256", &st->last_sha256) < 0 ||
		    getstr(last, "url", &st->last_url) < 0 ||
		    gettime(last, "sent", &st->last_sent, 1) < 0)
			goto corrupt;
	}
	if ((wait = json_object_get(root, "waiting"))) {
		if (!json_is_object(wait) ||
		    getstr(wait, "period", &st->wait_period) < 0 ||
		    getstr(wait, "status", &st->wait_status) < 0 ||
		    getstr(wait, "why", &st->wait_why) < 0 ||
		    gettime(wait, "since", &st->wait_since, 1) < 0)
			goto corrupt;
	}
	json_decref(root);
	free(p);
	return 1;
corrupt:
	snprintf(err, errlen, "%s: corrupt state (not what sme-export writes); "
	    "nothing was changed: repair or remove the file", p);
	json_decref(root);
	sme_state_free(st);
	free(p);
	return -1;
}

static json_t *
timestr(int64_t sec)
{
	char t[SME_TIME_MAX];

	sme_time_format(sec * SME_NS, t);
	return json_string(t);
}

int
sme_state_save(const char *dir, const char *job, const struct sme_state *st)
{
	char *p = path(dir, job, ".json"), *tmp = path(dir, job, ".json.tmp");
	json_t *root = json_object(), *o;
	char *text;
	int fd = -1, saved;
	size_t n;

	json_object_set_new(root, "job", json_string(job));
	json_object_set_new(root, "start", json_string(st->start));
	json_object_set_new(root, "next", timestr(st->next));
	if (st->last_period) {
		o = json_object();
		json_object_set_new(o, "period", sme_state_text(st->last_period));
		if (st->last_file)
			json_object_set_new(o, "file", sme_state_text(st->last_file));
		if (st->last_url)
			json_object_set_new(o, "url", sme_state_text(st->last_url));
		if (st->last_sha256)
			json_object_set_new(o, "sha256", sme_state_text(st->last_sha256));
		json_object_set_new(o, "sent", timestr(st->last_sent));
		json_object_set_new(root, "last", o);
	}
	if (st->wait_since) {
		o = json_object();
		json_object_set_new(o, "period", sme_state_text(st->wait_period));
		json_object_set_new(o, "status", sme_state_text(st->wait_status));
		json_object_set_new(o, "why", sme_state_text(st->wait_why));
		json_object_set_new(o, "since", timestr(st->wait_since));
		json_object_set_new(root, "waiting", o);
	}
	text = json_dumps(root, JSON_INDENT(1) | JSON_PRESERVE_ORDER);
	json_decref(root);
	if (!text) {
		errno = ENOMEM;
		goto fail;
	}
	n = strlen(text);
	text[n++] = '\n';	/* json_dumps leaves room: we replace the NUL */
	/* a link there is not followed: the state file is written only here */
	if ((fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC,
	    0644)) < 0)
		goto fail;
	if (sme_write_all(fd, text, n) < 0 || fsync(fd) < 0)
		goto fail;
	if (close(fd) < 0) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, p) < 0)
		goto fail;
	/*
	 * No fsync of the folder: a crash may lose the rename, and then the
	 * old state comes back whole, so the period is sent again under the
	 * same name, which is the case every path out must allow anyway.
	 * The fsync of the file above is what keeps the state from coming
	 * back empty or torn.
	 */
	free(text);
	free(p);
	free(tmp);
	return 0;
fail:
	saved = errno;
	if (fd >= 0)
		close(fd);
	unlink(tmp);
	free(text);
	free(p);
	free(tmp);
	errno = saved;
	return -1;
}

void
sme_state_free(struct sme_state *st)
{
	free(st->start);
	free(st->last_period), free(st->last_file), free(st->last_sha256);
	free(st->last_url);
	free(st->wait_period), free(st->wait_status), free(st->wait_why);
	memset(st, 0, sizeof *st);
}

int
sme_state_lock(const char *dir, const char *job)
{
	char *p = path(dir, job, ".lock");
	int fd = open(p, O_RDWR | O_CREAT | O_CLOEXEC, 0644), saved;

	saved = errno;
	free(p);
	if (fd < 0) {
		errno = saved;
		return -2;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return saved == EWOULDBLOCK ? -1 : -2;
	}
	return fd;
}
