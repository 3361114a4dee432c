/* sme: sme-export's partner and user settings, checked field by field; licence in COPYING */
#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include <jansson.h>

#include "sme.h"

/* one file being read: its name, its text's positions, its folder */
struct src {
	const char *file;
	char *dir;
	struct sme_jpos pos;
	int shared;
};

static _Noreturn void
bad(struct src *s, const char *path, const char *fmt, ...)
{
	va_list ap;
	char msg[1024];
	long line = sme_jpos_line(&s->pos, path);

	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	/* path and msg hold keys and values of the file: escaped (ours needs none) */
	if (line > 0)
		sme_die_at(SME_EX_DATA, s->file, line, "%s: %s", sme_shown(path), sme_shown(msg));
	sme_die_at(SME_EX_DATA, s->file, 0, "%s: %s", sme_shown(path), sme_shown(msg));
}

int
sme_config_name_check(const char *name)
{
	const char *p;

	if (!name || !*name || strlen(name) > 64 || *name == '.' ||
	    *name == '-' || *name == '_')
		return -1;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '.' || *p == '_' ||
		    *p == '-'))
			return -1;
	return 0;
}

/* the allowed members of an object: unknown ones are errors */
static void
members(struct src *s, const char *path, json_t *o, const char *const *ok)
{
	const char *k;
	json_t *v;
	char sub[512];
	int i, found;

	json_object_foreach(o, k, v) {
		(void)v;
		found = 0;
		for (i = 0; ok[i]; i++)
			if (!strcmp(k, ok[i]))
				found = 1;
		if (found)
			continue;
		snprintf(sub, sizeof sub, "%s%s%s", path, *path ? "." : "", k);
		if (strstr(k, "password") || strstr(k, "passphrase") ||
		    strstr(k, "secret") || !strcmp(k, "key_data") ||
		    strstr(k, "api_key") || strstr(k, "token"))
			bad(s, sub, "unknown field (a secret does not belong in "
			    "the config: name a file that holds it)");
		bad(s, sub, "unknown field");
	}
}

static char *
getstr(struct src *s, const char *path, json_t *o, const char *key,
    int required)
{
	json_t *v = json_object_get(o, key);
	char sub[512];
	const char *p;

	snprintf(sub, sizeof sub, "%s.%s", path, key);
	if (!v) {
		if (required)
			bad(s, path, "missing field \"%s\"", key);
		return NULL;
	}
	if (!json_is_string(v))
		bad(s, sub, "not a string");
	if (json_string_length(v) == 0)
		bad(s, sub, "empty");
	if (strlen(json_string_value(v)) != json_string_length(v))
		bad(s, sub, "holds a NUL byte");
	for (p = json_string_value(v); *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			bad(s, sub, "holds a control character");
	return estrdup(json_string_value(v));
}

static int
getbool(struct src *s, const char *path, json_t *o, const char *key, int dflt)
{
	json_t *v = json_object_get(o, key);
	char sub[512];

	if (!v)
		return dflt;
	snprintf(sub, sizeof sub, "%s.%s", path, key);
	if (!json_is_boolean(v))
		bad(s, sub, "not true or false");
	return json_is_true(v);
}

/* a file named by the config: relative to the config's folder */
static char *
getpath(struct src *s, const char *path, json_t *o, const char *key)
{
	char *v = getstr(s, path, o, key, 0), *r;
	size_t n;

	if (!v || *v == '/')
		return v;
	n = strlen(s->dir) + strlen(v) + 2;
	r = emalloc(n);
	snprintf(r, n, "%s/%s", s->dir, v);
	free(v);
	return r;
}

static int
oneof(struct src *s, const char *path, const char *v, const char *const *ok)
{
	char list[256] = "";
	int i;

	for (i = 0; ok[i]; i++)
		if (!strcmp(v, ok[i]))
			return i;
	for (i = 0; ok[i]; i++) {
		strncat(list, i ? ", " : "", sizeof list - strlen(list) - 1);
		strncat(list, ok[i], sizeof list - strlen(list) - 1);
	}
	bad(s, path, "\"%s\" is none of %s", v, list);
}

static const char *const tfields[] = { "name", "url", "key", "known_hosts",
	"cafile", "password_file", "passphrase_file", "comment", NULL };

/*
 * sme-upload checks the URL in full when it runs; here what the config
 * itself must get right: a scheme it knows, no password, a folder.
 * (transfer.c's parser would link libcurl and libssh2 into sme-export.)
 */
static void
urlcheck(struct src *s, const char *path, struct sme_target *t)
{
	static const char *const schemes[] = { "ftp://", "ftps://", "ftpes://",
		"sftp://", "file://", NULL };
	const char *u = t->url, *auth, *slash, *at;
	size_t i, n;

	for (i = 0; schemes[i]; i++)
		if (!strncmp(u, schemes[i], strlen(schemes[i])))
			break;
	if (!schemes[i])
		bad(s, path, "\"%s\": the scheme is none of ftp, ftps, ftpes, "
		    "sftp, file", u);
	t->scheme = (int)i;
	auth = u + strlen(schemes[i]);
	slash = strchr(auth, '/');
	n = slash ? (size_t)(slash - auth) : strlen(auth);
	at = memchr(auth, '@', n);
	if (at && memchr(auth, ':', (size_t)(at - auth)))
		bad(s, path, "holds a password: put it in a file and name that "
		    "file in password_file");
	for (i = 0; u[i]; i++)
		if ((unsigned char)u[i] < 0x20 || u[i] == 0x7f)
			bad(s, path, "holds a control character");
	if (!slash)
		bad(s, path, "\"%s\" has no path: a target is a folder, its url "
		    "ends in /", u);
	if (t->scheme == SME_FILE && n)
		bad(s, path, "\"%s\": a file:// url has no host (file:///srv/out/)",
		    u);
	if (u[strlen(u) - 1] != '/')
		bad(s, path, "\"%s\" names a file: a target is a folder, its url "
		    "ends in /", u);
}

static struct sme_target *
target(struct src *s, const char *path, json_t *o)
{
	struct sme_target *t = ecalloc(1, sizeof *t);
	char sub[512];

	if (!json_is_object(o))
		bad(s, path, "not an object");
	members(s, path, o, tfields);
	t->name = getstr(s, path, o, "name", 1);
	t->url = getstr(s, path, o, "url", 1);
	t->key = getpath(s, path, o, "key");
	t->known_hosts = getpath(s, path, o, "known_hosts");
	t->cafile = getpath(s, path, o, "cafile");
	t->password_file = getpath(s, path, o, "password_file");
	t->passphrase_file = getpath(s, path, o, "passphrase_file");
	t->shared = s->shared;
	t->file = s->file;
	t->line = sme_jpos_line(&s->pos, path);
	snprintf(sub, sizeof sub, "%s.url", path);
	urlcheck(s, sub, t);
	if ((t->key || t->known_hosts || t->passphrase_file) &&
	    t->scheme != SME_SFTP)
		bad(s, path, "key, known_hosts and passphrase_file are for "
		    "sftp:// targets only");
	if (t->cafile && t->scheme != SME_FTPS && t->scheme != SME_FTPES)
		bad(s, path, "cafile is for ftps:// and ftpes:// targets only");
	if (t->password_file && t->scheme == SME_FILE)
		bad(s, path, "password_file: a file:// target has no password");
	return t;
}

static const char *const ffields[] = { "name", "type", "release", "sender",
	"receiver", "pid", "columns", "delimiter", "decimal", "time_format",
	"header", "crlf", "plain_ids", "kind", "basic", "comment", NULL };
static const char *const ftypes[] = { "mscons", "csv", "ise", NULL };
static const char *const releases[] = { "2.2e", "2.4a", NULL };
static const char *const kinds[] = { "reading", "feed", "profile", "peak",
	NULL };
static const char *const decimals[] = { ".", ",", NULL };

static void
only(struct src *s, const char *path, json_t *o, const char *type,
    const char *const *fields)
{
	char sub[512];
	int i;

	for (i = 0; fields[i]; i++)
		if (json_object_get(o, fields[i])) {
			snprintf(sub, sizeof sub, "%s.%s", path, fields[i]);
			bad(s, sub, "not a field of a %s format", type);
		}
}

static struct sme_format *
format(struct src *s, const char *path, json_t *o)
{
	static const char *const notmscons[] = { "release", "sender",
		"receiver", "pid", NULL };
	static const char *const notcsv[] = { "columns", "decimal",
		"time_format", "header", "crlf", "plain_ids", NULL };
	static const char *const notise[] = { "kind", "basic", NULL };
	struct sme_format *f = ecalloc(1, sizeof *f);
	char sub[512], *type, *bad_;
	struct sme_obis *v;

	if (!json_is_object(o))
		bad(s, path, "not an object");
	members(s, path, o, ffields);
	f->name = getstr(s, path, o, "name", 1);
	type = getstr(s, path, o, "type", 1);
	snprintf(sub, sizeof sub, "%s.type", path);
	f->type = oneof(s, sub, type, ftypes);
	free(type);
	f->shared = s->shared;
	f->file = s->file;
	f->line = sme_jpos_line(&s->pos, path);
	if (f->type != SME_FMT_MSCONS)
		only(s, path, o, ftypes[f->type], notmscons);
	if (f->type != SME_FMT_CSV)
		only(s, path, o, ftypes[f->type], notcsv);
	if (f->type != SME_FMT_ISE)
		only(s, path, o, ftypes[f->type], notise);
	if (f->type == SME_FMT_MSCONS) {
		if (json_object_get(o, "delimiter")) {
			snprintf(sub, sizeof sub, "%s.delimiter", path);
			bad(s, sub, "not a field of a mscons format");
		}
		f->release = getstr(s, path, o, "release", 1);
		snprintf(sub, sizeof sub, "%s.release", path);
		oneof(s, sub, f->release, releases);
		f->sender = getstr(s, path, o, "sender", 1);
		f->receiver = getstr(s, path, o, "receiver", 1);
		f->pid = getstr(s, path, o, "pid", 0);
	} else if (f->type == SME_FMT_CSV) {
		f->columns = getstr(s, path, o, "columns", 0);
		if (f->columns && sme_obis_list(f->columns, 1, &v, &bad_) < 0) {
			snprintf(sub, sizeof sub, "%s.columns", path);
			bad(s, sub, "not an OBIS code: \"%s\"", bad_);
		}
		if (f->columns)
			free(v);
		f->decimal = getstr(s, path, o, "decimal", 0);
		snprintf(sub, sizeof sub, "%s.decimal", path);
		if (f->decimal)
			oneof(s, sub, f->decimal, decimals);
		f->time_format = getstr(s, path, o, "time_format", 0);
		f->header = getbool(s, path, o, "header", 1);
		f->crlf = getbool(s, path, o, "crlf", 0);
		f->plain = getbool(s, path, o, "plain_ids", 0);
	} else {
		f->kind = getstr(s, path, o, "kind", 0);
		if (!f->kind)
			f->kind = estrdup("reading");
		snprintf(sub, sizeof sub, "%s.kind", path);
		oneof(s, sub, f->kind, kinds);
		f->basic = getbool(s, path, o, "basic", 0);
	}
	if (f->type != SME_FMT_MSCONS) {
		f->delimiter = getstr(s, path, o, "delimiter", 0);
		snprintf(sub, sizeof sub, "%s.delimiter", path);
		if (f->delimiter && strcmp(f->delimiter, "\\t") &&
		    (strlen(f->delimiter) != 1 || strchr("\"\r\n", *f->delimiter)))
			bad(s, sub, "\"%s\" is not one character other than "
			    "\", CR and LF", f->delimiter);
	}
	return f;
}

static const char *const jfields[] = { "name", "mpid", "devices", "folder",
	"format", "target", "interval", "trigger", "start", "values", "zone",
	"on_empty", "tariffs", "grid", "comment", NULL };
static const char *const intervals[] = { "hourly", "daily", "weekly",
	"monthly", "quarterly", "halfyearly", "yearly", NULL };
static const char *const triggers[] = { "complete", "12h-after-end", NULL };
static const char *const values[] = { "measured", "virtual-tariffs", NULL };
static const char *const onempty[] = { "wait", "skip", NULL };

static void *
lookup(void **v, size_t n, const char *name)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (!strcmp(*(char **)v[i], name))
			return v[i];
	return NULL;
}

static void
names(char *buf, size_t n, void **v, size_t nv)
{
	size_t i;

	*buf = '\0';
	for (i = 0; i < nv; i++) {
		strncat(buf, i ? ", " : "", n - strlen(buf) - 1);
		strncat(buf, *(char **)v[i], n - strlen(buf) - 1);
	}
	if (!nv)
		snprintf(buf, n, "none defined");
}

/* a device id (UUID) or a serial number (an integer, maybe negative) */
static int
device(const char *d)
{
	size_t i, n = strlen(d);

	if (n == 36) {
		for (i = 0; i < n; i++)
			if ((i == 8 || i == 13 || i == 18 || i == 23) ? d[i] != '-' :
			    !strchr("0123456789abcdefABCDEF", d[i]))
				break;
		if (i == n)
			return 1;
	}
	i = *d == '-';
	if (!d[i] || n > 24)
		return 0;
	for (; d[i]; i++)
		if (d[i] < '0' || d[i] > '9')
			return 0;
	return 1;
}

static struct sme_job *
job(struct src *s, const char *path, json_t *o, struct sme_config *c)
{
	struct sme_job *j = ecalloc(1, sizeof *j);
	char sub[512], *v, list[1024];
	json_t *a, *e;
	const char *k;
	size_t i;
	int iv;

	if (!json_is_object(o))
		bad(s, path, "not an object");
	members(s, path, o, jfields);
	j->name = getstr(s, path, o, "name", 1);
	j->file = s->file;
	j->line = sme_jpos_line(&s->pos, path);
	j->mpid = getstr(s, path, o, "mpid", 0);
	j->folder = getstr(s, path, o, "folder", 0);
	if ((a = json_object_get(o, "devices"))) {
		snprintf(sub, sizeof sub, "%s.devices", path);
		if (!json_is_array(a) || json_array_size(a) == 0)
			bad(s, sub, "not a list of device ids or serial numbers");
		j->devices = ecalloc(json_array_size(a), sizeof *j->devices);
		json_array_foreach(a, i, e) {
			snprintf(sub, sizeof sub, "%s.devices[%zu]", path, i);
			if (!json_is_string(e) || !json_string_length(e) ||
			    strlen(json_string_value(e)) != json_string_length(e))
				bad(s, sub, "not a device id or serial number");
			if (!device(json_string_value(e)))
				bad(s, sub, "\"%s\" is neither a device id (UUID) nor a "
				    "serial number", json_string_value(e));
			j->devices[j->ndevices++] = estrdup(json_string_value(e));
		}
	}
	if (!j->folder == !j->devices)
		bad(s, path, "give either \"devices\" or \"folder\"");
	v = getstr(s, path, o, "format", 1);
	j->format = lookup((void **)c->formats, c->nformats, v);
	snprintf(sub, sizeof sub, "%s.format", path);
	if (!j->format) {
		names(list, sizeof list, (void **)c->formats, c->nformats);
		bad(s, sub, "no format \"%s\" (formats: %s)", v, list);
	}
	free(v);
	v = getstr(s, path, o, "target", 1);
	j->target = lookup((void **)c->targets, c->ntargets, v);
	snprintf(sub, sizeof sub, "%s.target", path);
	if (!j->target) {
		names(list, sizeof list, (void **)c->targets, c->ntargets);
		bad(s, sub, "no target \"%s\" (targets: %s)", v, list);
	}
	free(v);
	v = getstr(s, path, o, "interval", 1);
	snprintf(sub, sizeof sub, "%s.interval", path);
	if (!strcmp(v, "half-yearly"))
		iv = 5;
	else
		iv = oneof(s, sub, v, intervals);
	j->interval = SME_IV_HOUR + iv;
	free(v);
	if ((v = getstr(s, path, o, "trigger", 0))) {
		snprintf(sub, sizeof sub, "%s.trigger", path);
		j->trigger = oneof(s, sub, v, triggers);
		free(v);
	}
	j->start = getstr(s, path, o, "start", 1);
	j->zone = getstr(s, path, o, "zone", 0);
	if (!j->zone)
		j->zone = estrdup("Europe/Zurich");
	snprintf(sub, sizeof sub, "%s.zone", path);
	if (sme_zone_set(j->zone) < 0)
		bad(s, sub, "unknown time zone \"%s\"", j->zone);
	snprintf(sub, sizeof sub, "%s.start", path);
	{
		int64_t t;
		char err[256];

		if (sme_period_first(j, &t, err, sizeof err) < 0)
			bad(s, sub, "%s", err);
	}
	if ((v = getstr(s, path, o, "values", 0))) {
		snprintf(sub, sizeof sub, "%s.values", path);
		j->virtual = oneof(s, sub, v, values);
		free(v);
	}
	if ((v = getstr(s, path, o, "on_empty", 0))) {
		snprintf(sub, sizeof sub, "%s.on_empty", path);
		j->skip_empty = oneof(s, sub, v, onempty);
		free(v);
	}
	j->grid = getstr(s, path, o, "grid", 0);
	snprintf(sub, sizeof sub, "%s.grid", path);
	if (j->grid && (sme_duration_parse(j->grid) < 60 ||
	    sme_duration_parse(j->grid) > 86400))
		bad(s, sub, "\"%s\" is no reading interval from 1m to 1d "
		    "(15m, 1h, 900)", j->grid);
	if (!j->grid)
		j->grid = estrdup("15m");
	if ((a = json_object_get(o, "tariffs"))) {
		snprintf(sub, sizeof sub, "%s.tariffs", path);
		if (!json_is_object(a))
			bad(s, sub, "not an object of tariff names and numbers");
		j->tariffs = ecalloc(json_object_size(a) + 1, sizeof *j->tariffs);
		json_object_foreach(a, k, e) {
			char t[512];

			snprintf(sub, sizeof sub, "%s.tariffs.%s", path, k);
			if (!json_is_integer(e) || json_integer_value(e) < 0 ||
			    json_integer_value(e) > 255)
				bad(s, sub, "not a tariff number from 0 to 255");
			if (!*k || strchr(k, '='))
				bad(s, sub, "a tariff name is not empty and has no =");
			for (v = (char *)k; *v; v++)
				if ((unsigned char)*v < 0x20 || *v == 0x7f)
					bad(s, sub, "holds a control character");
			snprintf(t, sizeof t, "%s=%lld", k,
			    (long long)json_integer_value(e));
			j->tariffs[j->ntariffs++] = estrdup(t);
		}
	}
	if (j->virtual) {
		snprintf(sub, sizeof sub, "%s.values", path);
		if (j->format->type != SME_FMT_ISE)
			bad(s, sub, "virtual tariffs go out in IS-E only, and "
			    "format \"%s\" is %s: use a format of type \"ise\"",
			    j->format->name, ftypes[j->format->type]);
		if (!j->folder)
			bad(s, sub, "virtual tariffs are read from a folder: "
			    "give \"folder\"");
		if (!j->ntariffs)
			bad(s, sub, "virtual tariffs need their numbers: give "
			    "\"tariffs\": {\"name\": number}");
	} else if (j->ntariffs) {
		snprintf(sub, sizeof sub, "%s.tariffs", path);
		bad(s, sub, "only with \"values\": \"virtual-tariffs\"");
	}
	return j;
}

static json_t *
readfile(struct src *s, const char *file, int named, int *absent)
{
	json_error_t e;
	json_t *root;
	FILE *fp;
	char *text = NULL, cwd[PATH_MAX], *slash;
	size_t n = 0, cap = 0, r;
	struct stat sb;

	*absent = 0;
	s->file = file;
	if (!(fp = fopen(file, "r"))) {
		if (errno == ENOENT && !named) {
			*absent = 1;
			return NULL;
		}
		sme_die(SME_EX_DATA, "%s:", sme_shown(file));
	}
	if (fstat(fileno(fp), &sb) == 0 && S_ISDIR(sb.st_mode))
		sme_die_at(SME_EX_DATA, file, 0, "a folder, not a config file");
	for (;;) {
		if (n + 4096 > cap) {
			cap = cap ? 2 * cap : 8192;
			if (cap > (16u << 20))
				sme_die_at(SME_EX_DATA, file, 0, "larger than 16 MB");
			text = erealloc(text, cap);
		}
		r = fread(text + n, 1, cap - n - 1, fp);
		n += r;
		if (r == 0)
			break;
	}
	if (ferror(fp))
		sme_die(SME_EX_LOCAL, "%s:", sme_shown(file));
	fclose(fp);
	text[n] = '\0';
	root = json_loadb(text, n, JSON_REJECT_DUPLICATES, &e);
	if (!root) {
		free(text);	/* dead once we die: LeakSanitizer would call it lost */
		sme_die_at(SME_EX_DATA, file, e.line > 0 ? e.line : 0, "%s", sme_shown(e.text));
	}
	if (!json_is_object(root))
		sme_die_at(SME_EX_DATA, file, 1, "not a JSON object");
	sme_jpos_scan(&s->pos, text, n);
	free(text);
	if (*file == '/' || !getcwd(cwd, sizeof cwd))
		cwd[0] = '\0';
	s->dir = emalloc(strlen(cwd) + strlen(file) + 2);
	sprintf(s->dir, "%s%s%s", cwd, *cwd ? "/" : "", file);
	slash = strrchr(s->dir, '/');
	if (slash && slash != s->dir)
		*slash = '\0';
	else if (slash)
		slash[1] = '\0';
	else
		strcpy(s->dir, ".");
	return root;
}

static void
clash(struct src *s, const char *path, const char *what, const char *name,
    const char *file, long line)
{
	if (file == s->file)
		bad(s, path, "a second %s named \"%s\" (the first: line %ld)",
		    what, name, line);
	bad(s, path, "\"%s\" is also a shared %s (%s:%ld): choose another name",
	    name, what, file, line);
}

static void
lists(struct src *s, json_t *root, struct sme_config *c)
{
	json_t *a, *e;
	size_t i;
	char path[64], sub[80];
	void *old;

	if ((a = json_object_get(root, "targets"))) {
		if (!json_is_array(a))
			bad(s, "targets", "not a list");
		json_array_foreach(a, i, e) {
			struct sme_target *t;

			snprintf(path, sizeof path, "targets[%zu]", i);
			t = target(s, path, e);
			snprintf(sub, sizeof sub, "%s.name", path);
			if (sme_config_name_check(t->name))
				bad(s, sub, "\"%s\" is not a name of letters, digits, "
				    ". _ - (at most 64)", t->name);
			if ((old = lookup((void **)c->targets, c->ntargets, t->name)))
				clash(s, sub, "target", t->name,
				    ((struct sme_target *)old)->file,
				    ((struct sme_target *)old)->line);
			c->targets = erealloc(c->targets,
			    (c->ntargets + 1) * sizeof *c->targets);
			c->targets[c->ntargets++] = t;
		}
	}
	if ((a = json_object_get(root, "formats"))) {
		if (!json_is_array(a))
			bad(s, "formats", "not a list");
		json_array_foreach(a, i, e) {
			struct sme_format *f;

			snprintf(path, sizeof path, "formats[%zu]", i);
			f = format(s, path, e);
			snprintf(sub, sizeof sub, "%s.name", path);
			if (sme_config_name_check(f->name))
				bad(s, sub, "\"%s\" is not a name of letters, digits, "
				    ". _ - (at most 64)", f->name);
			if ((old = lookup((void **)c->formats, c->nformats, f->name)))
				clash(s, sub, "format", f->name,
				    ((struct sme_format *)old)->file,
				    ((struct sme_format *)old)->line);
			c->formats = erealloc(c->formats,
			    (c->nformats + 1) * sizeof *c->formats);
			c->formats[c->nformats++] = f;
		}
	}
}

static const char *const pfields[] = { "targets", "formats", "comment", NULL };
static const char *const ufields[] = { "targets", "formats", "jobs", "api",
	"comment", NULL };
static const char *const afields[] = { "url", "auth_file", "comment", NULL };

struct sme_config *
sme_config_load(const char *partner, int partner_named, const char *user)
{
	struct sme_config *c = ecalloc(1, sizeof *c);
	struct src ps = { 0 }, us = { 0 };
	json_t *root, *a, *e;
	size_t i, k;
	int absent;
	char path[64], sub[80];

	if (partner && (root = readfile(&ps, partner, partner_named, &absent))) {
		ps.shared = 1;
		c->partner = estrdup(partner);
		ps.file = c->partner;
		members(&ps, "", root, pfields);
		lists(&ps, root, c);
		json_decref(root);
	}
	c->user = estrdup(user);
	root = readfile(&us, c->user, 1, &absent);
	us.file = c->user;
	members(&us, "", root, ufields);
	lists(&us, root, c);
	if ((a = json_object_get(root, "api"))) {
		if (!json_is_object(a))
			bad(&us, "api", "not an object");
		members(&us, "api", a, afields);
		c->api_url = getstr(&us, "api", a, "url", 0);
		c->api_auth_file = getpath(&us, "api", a, "auth_file");
		if (c->api_url && strchr(c->api_url, '@'))
			bad(&us, "api.url", "holds a user or password: put "
			    "credentials in auth_file or the environment");
	}
	if ((a = json_object_get(root, "jobs"))) {
		if (!json_is_array(a))
			bad(&us, "jobs", "not a list");
		json_array_foreach(a, i, e) {
			struct sme_job *j;

			snprintf(path, sizeof path, "jobs[%zu]", i);
			j = job(&us, path, e, c);
			snprintf(sub, sizeof sub, "%s.name", path);
			if (sme_config_name_check(j->name))
				bad(&us, sub, "\"%s\" is not a name of letters, digits, "
				    ". _ - (at most 64)", j->name);
			if (sme_config_job(c, j->name))
				bad(&us, sub, "a second job named \"%s\" (the first: "
				    "line %ld)", j->name,
				    sme_config_job(c, j->name)->line);
			/*
			 * Names are the files' names (job_yyyymmdd.csv, job.json,
			 * spool/job/): on a case-insensitive target or state
			 * folder "a" and "A" would overwrite each other
			 */
			for (k = 0; k < c->njobs; k++)
				if (!strcasecmp(c->jobs[k]->name, j->name))
					bad(&us, sub, "job \"%s\" differs from \"%s\" "
					    "(line %ld) only in case: its files would "
					    "overwrite that job's where case is ignored",
					    j->name, c->jobs[k]->name, c->jobs[k]->line);
			c->jobs = erealloc(c->jobs, (c->njobs + 1) * sizeof *c->jobs);
			c->jobs[c->njobs++] = j;
		}
	}
	json_decref(root);
	sme_jpos_free(&ps.pos);
	sme_jpos_free(&us.pos);
	free(ps.dir);
	free(us.dir);
	return c;
}

struct sme_job *
sme_config_job(const struct sme_config *c, const char *name)
{
	size_t i;

	for (i = 0; i < c->njobs; i++)
		if (!strcmp(c->jobs[i]->name, name))
			return c->jobs[i];
	return NULL;
}

static void
freev(char **v, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void
sme_config_free(struct sme_config *c)
{
	size_t i;

	if (!c)
		return;
	for (i = 0; i < c->ntargets; i++) {
		struct sme_target *t = c->targets[i];

		free(t->name), free(t->url), free(t->key), free(t->known_hosts);
		free(t->cafile), free(t->password_file), free(t->passphrase_file);
		free(t);
	}
	for (i = 0; i < c->nformats; i++) {
		struct sme_format *f = c->formats[i];

		free(f->name), free(f->release), free(f->sender), free(f->receiver);
		free(f->pid), free(f->columns), free(f->delimiter), free(f->decimal);
		free(f->time_format), free(f->kind);
		free(f);
	}
	for (i = 0; i < c->njobs; i++) {
		struct sme_job *j = c->jobs[i];

		free(j->name), free(j->mpid), free(j->folder), free(j->zone);
		free(j->start), free(j->grid);
		freev(j->devices, j->ndevices);
		freev(j->tariffs, j->ntariffs);
		free(j);
	}
	free(c->targets), free(c->formats), free(c->jobs);
	free(c->partner), free(c->user), free(c->api_url), free(c->api_auth_file);
	free(c);
}
