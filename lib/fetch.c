/* sme: readings from the smart-me API on a grid, many meters at once, written in order; licence in COPYING */
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include <jansson.h>

#include "sme.h"

static struct sme_fetch *F;

struct entry {
	int64_t t;
	struct sme_obis o;
	struct sme_dec v;
};

struct meter {
	struct sme_fetch_meter *m;
	struct entry *e;
	size_t n, cap;
	int pending;		/* requests not yet done */
	int shift;		/* decimal places the values move; -1 unknown */
	int done;
};

static struct meter *M;		/* F->nm, in output order */
static size_t head, next;	/* the next to write, the next to start */
static size_t nwritten;
static long offgrid, nodrop;
static char dropped[SME_OBIS_MAX];
static double t0, tprog;

static double
mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* ---- requests ---- */

static struct curl_slist *
headers(struct sme_http_req *rq, void *arg)
{
	(void)arg;
	return sme_auth_headers(&F->auth, &rq->gen);
}

struct sme_http_opt *
sme_fetch_httpopt(struct sme_http_opt *o)
{
	o->headers = headers;
	return o;
}

void
sme_fetch_get(const char *url, void (*done)(struct sme_http_req *),
    void *arg, long tag)
{
	struct sme_http_req *rq = sme_http_req_new(url, done, arg);

	rq->tag = tag;
	sme_http_add(F->http, rq);
}

static int
hasjson(const char *s)
{
	for (; *s; s++)
		if (!strncasecmp(s, "json", 4))
			return 1;
	return 0;
}

/*
 * The reply as JSON (a NEW reference), or NULL: when it was sent again
 * after a 401 and a new token, or when it is a 404 and may404 is set.
 * Anything else that is not a good JSON reply exits.
 */
int
sme_fetch_check(struct sme_http_req *rq, int may404)
{
	struct sme_http_req *again;

	if (rq->status == 0)
		sme_die(SME_EX_REMOTE, "%s: %s", sme_shown(rq->url), sme_shown(rq->err));
	if (rq->status == 401 && !rq->reauth &&
	    sme_auth_refresh(&F->auth, rq->gen)) {
		again = sme_http_req_new(rq->url, rq->done, rq->arg);
		again->tag = rq->tag;
		again->reauth = 1;
		sme_http_add(F->http, again);
		return 1;
	}
	if (rq->status == 401 || rq->status == 403)
		sme_die(SME_EX_SAFETY, "%s: HTTP %ld: the credentials were refused",
		    sme_shown(rq->url), rq->status);
	if (rq->status == 404 && may404)
		return 1;
	if (rq->status < 200 || rq->status > 299)
		sme_die(SME_EX_REMOTE, "%s: HTTP %ld%s", sme_shown(rq->url), rq->status,
		    rq->attempt > 1 ? ", after retries" : "");
	if (!hasjson(rq->ctype))
		sme_die(SME_EX_REMOTE, "%s: the reply is not JSON (content-type "
		    "%s)", sme_shown(rq->url), rq->ctype[0] ? sme_shown_cut(rq->ctype) : "none");
	return 0;
}

json_t *
sme_fetch_json(struct sme_http_req *rq, int may404)
{
	json_t *j;

	if (sme_fetch_check(rq, may404))
		return NULL;
	if (!rq->body || !(j = sme_api_parse(rq->body, rq->len)))
		sme_die(SME_EX_REMOTE, "%s: malformed or truncated JSON", sme_shown(rq->url));
	return j;
}

char *
sme_fetch_base(const char *s, const char *what)
{
	const char *h, *e;
	size_t n;
	char *b;

	if (strncmp(s, "https://", 8) && strncmp(s, "http://", 7))
		sme_die(SME_EX_USAGE, "%s: not an http:// or https:// URL", what);
	h = strstr(s, "://") + 3;
	e = h + strcspn(h, "/?#");
	if (memchr(h, '@', (size_t)(e - h)))
		sme_die(SME_EX_USAGE, "%s: credentials in the URL are refused "
		    "(use SME_API_KEY or -A)", what);
	if (strpbrk(s, "?# \t\r\n") || e == h)
		sme_die(SME_EX_USAGE, "%s: not a base URL such as "
		    "https://api.smart-me.com", what);
	n = strlen(s);
	while (n > 0 && s[n - 1] == '/')
		n--;
	b = estrndup(s, n);
	return b;
}

/* ---- meters and folders ---- */

static int
isuuid(const char *s)
{
	size_t i;

	if (strlen(s) != 36)
		return 0;
	for (i = 0; i < 36; i++)
		if (i == 8 || i == 13 || i == 18 || i == 23 ? s[i] != '-' :
		    !strchr("0123456789abcdefABCDEF", s[i]))
			return 0;
	return 1;
}

/* an integer that fits int64: the serial's own text */
static int
isserial(const char *s)
{
	const char *d = *s == '-' ? s + 1 : s;
	size_t n = strlen(d);

	if (!n || strspn(d, "0123456789") != n || (n > 1 && *d == '0'))
		return 0;
	if (n < 19)
		return 1;
	return n == 19 && strcmp(d, *s == '-' ? "9223372036854775808" :
	    "9223372036854775807") <= 0;
}

static char *
trimdup(const char *s)
{
	size_t n;

	while (*s == ' ' || *s == '\t')
		s++;
	n = strlen(s);
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t'))
		n--;
	return estrndup(s, n);
}

static int
ismeter(json_t *it)
{
	long t;

	return sme_api_enum(sme_api_get(it, "FolderType"), NULL, 0, &t) == 0 &&
	    t == 1000;
}

static char *
pathcat(const char *parent, const char *name)
{
	char *p = emalloc(strlen(parent) + strlen(name) + 2);

	sprintf(p, "%s/%s", parent, name);
	return p;
}

static void
addmeter(const char *serial, const char *id, const char *mpid,
    const char *path, const char *name)
{
	struct sme_fetch_meter *m;

	F->m = erealloc(F->m, (F->nm + 1) * sizeof *F->m);
	m = &F->m[F->nm++];
	memset(m, 0, sizeof *m);
	m->serial = estrdup(serial);
	m->id = estrdup(id);
	m->mpid = mpid && *mpid ? trimdup(mpid) : NULL;
	if (m->mpid && !*m->mpid) {
		free(m->mpid);
		m->mpid = NULL;
	}
	m->path = path ? estrdup(path) : NULL;
	m->name = name ? estrdup(name) : NULL;
}

static const char *
mpidof(json_t *it)
{
	return sme_api_str(sme_api_get(sme_api_get(it, "AutoExportSettings"),
	    "MeterPointId"));
}

/* every meter under it (a folder) */
static void
collect(json_t *it, const char *path)
{
	json_t *kids = sme_api_get(it, "Children"), *k;
	const char *name, *id, *serial;
	char *p;
	size_t i;

	json_array_foreach(kids, i, k) {
		name = sme_api_str(sme_api_get(k, "Name"));
		if (!name)
			name = "";
		p = pathcat(path, name);
		if (ismeter(k)) {
			id = sme_api_str(sme_api_get(k, "Id"));
			serial = sme_api_str(sme_api_get(k, "MeterSerialNumber"));
			if (!serial)
				serial = sme_api_numtext(sme_api_get(k,
				    "MeterSerialNumber"));
			if (!id || !isuuid(id) || !serial || !isserial(serial))
				sme_die(SME_EX_REMOTE, "/FolderMenu: meter %s: "
				    "no device id or serial number", sme_shown_cut(p));
			addmeter(serial, id, mpidof(k), path, name);
		} else {
			collect(k, p);
		}
		free(p);
	}
}

struct found {
	json_t *it;
	char *path;
};

static void
findfolders(json_t *items, const char *path, const char *want,
    struct found **v, size_t *n)
{
	json_t *k;
	const char *name, *id;
	char *p;
	size_t i;
	int hit;

	json_array_foreach(items, i, k) {
		if (ismeter(k))
			continue;
		name = sme_api_str(sme_api_get(k, "Name"));
		id = sme_api_str(sme_api_get(k, "Id"));
		p = pathcat(path, name ? name : "");
		hit = (id && !strcasecmp(id, want)) ||
		    (want[0] == '/' ? !strcmp(p, want) : name && !strcmp(name, want));
		if (hit) {
			*v = erealloc(*v, (*n + 1) * sizeof **v);
			(*v)[*n].it = k;
			(*v)[(*n)++].path = estrdup(p);
		}
		findfolders(sme_api_get(k, "Children"), p, want, v, n);
		free(p);
	}
}

/* the one folder that -F spec names, with its path; exits 2 otherwise */
json_t *
sme_fetch_folder(const char *spec, char **path)
{
	struct found *v = NULL;
	size_t n = 0, i, len = 0;
	char *list = NULL;
	json_t *it;

	findfolders(sme_api_get(F->menu, "Items"), "", spec, &v, &n);
	if (n == 0)
		sme_die(SME_EX_USAGE, "-F %s: no such folder", sme_shown_cut(spec));
	if (n > 1) {
		for (i = 0; i < n; i++) {
			const char *sp = sme_shown_cut(v[i].path);

			list = erealloc(list, len + strlen(sp) + 3);
			len += (size_t)sprintf(list + len, "%s%s", i ? ", " : "", sp);
		}
		sme_die(SME_EX_USAGE, "-F %s: %zu folders have that name (%s): "
		    "give the path or the id", sme_shown_cut(spec), n, list);
	}
	it = v[0].it;
	*path = v[0].path;
	free(v);
	return it;
}

static void
on_menu(struct sme_http_req *rq)
{
	json_t *j = sme_fetch_json(rq, 0);

	if (!j)
		return;
	if (!json_is_array(sme_api_get(j, "Items")))
		sme_die(SME_EX_REMOTE, "%s: no folder items in the reply", sme_shown(rq->url));
	F->menu = j;
}

/* the menu item of device id, and its folder's path */
static json_t *
menuitem(json_t *items, const char *path, const char *id, char **where)
{
	json_t *k, *r;
	const char *name, *kid;
	char *p;
	size_t i;

	json_array_foreach(items, i, k) {
		kid = sme_api_str(sme_api_get(k, "Id"));
		if (ismeter(k)) {
			if (kid && !strcasecmp(kid, id)) {
				*where = estrdup(path);
				return k;
			}
			continue;
		}
		name = sme_api_str(sme_api_get(k, "Name"));
		p = pathcat(path, name ? name : "");
		r = menuitem(sme_api_get(k, "Children"), p, id, where);
		free(p);
		if (r)
			return r;
	}
	return NULL;
}

json_t *
sme_fetch_menuitem(const char *id, char **path)
{
	*path = NULL;
	return menuitem(sme_api_get(F->menu, "Items"), "", id, path);
}

/* a device reply: id, serial and ValueDate into m */
static void
device(json_t *d, const char *url, struct sme_fetch_meter *m)
{
	const char *id = sme_api_str(sme_api_get(d, "Id"));
	const char *serial = sme_api_numtext(sme_api_get(d, "Serial"));
	int64_t t;

	if (!id || !isuuid(id) || !serial || !isserial(serial))
		sme_die(SME_EX_REMOTE, "%s: a device without id or serial number",
		    sme_shown(url));
	if (!m->id)
		m->id = estrdup(id);
	if (!m->serial)
		m->serial = estrdup(serial);
	if (sme_api_time(sme_api_get(d, "ValueDate"), &t) == 0) {
		m->valuedate = t;
		m->hasvd = 1;
	}
}

static void
on_device(struct sme_http_req *rq)
{
	struct sme_fetch_meter *m = &F->m[rq->tag];
	json_t *j = sme_fetch_json(rq, 1);

	if (!j) {
		if (rq->status == 404)
			sme_die(SME_EX_USAGE, "meter %s: no such device",
			    m->serial ? m->serial : m->id);
		return;
	}
	if (!json_is_object(j))
		sme_die(SME_EX_REMOTE, "%s: no device in the reply", sme_shown(rq->url));
	device(j, rq->url, m);
	json_decref(j);
}

static void
on_devices(struct sme_http_req *rq)
{
	json_t *j = sme_fetch_json(rq, 0);

	if (!j)
		return;
	if (!json_is_array(j))
		sme_die(SME_EX_REMOTE, "%s: no device list in the reply", sme_shown(rq->url));
	if (F->devices)
		json_decref(F->devices);
	F->devices = j;
}

struct vd {
	const char *id;
	int64_t t;
};

static int
vdcmp(const void *a, const void *b)
{
	return strcasecmp(((const struct vd *)a)->id, ((const struct vd *)b)->id);
}

/* ValueDate of meters first.. from /Devices, through a sorted index */
static void
valuedates(size_t first)
{
	struct vd *v = ecalloc(json_array_size(F->devices) + 1, sizeof *v), key, *hit;
	size_t i, n = 0;
	json_t *d;

	json_array_foreach(F->devices, i, d) {
		v[n].id = sme_api_str(sme_api_get(d, "Id"));
		if (v[n].id && sme_api_time(sme_api_get(d, "ValueDate"), &v[n].t) == 0)
			n++;
	}
	qsort(v, n, sizeof *v, vdcmp);
	for (i = first; i < F->nm; i++) {
		key.id = F->m[i].id;
		if ((hit = bsearch(&key, v, n, sizeof *v, vdcmp))) {
			F->m[i].valuedate = hit->t;
			F->m[i].hasvd = 1;
		}
	}
	free(v);
}

static int
metercmp(const void *a, const void *b)
{
	const struct sme_fetch_meter *x = a, *y = b;
	struct sme_str sx = { x->serial, strlen(x->serial) };
	struct sme_str sy = { y->serial, strlen(y->serial) };
	int c = sme_meter_cmp(sx, sy);

	return c ? c : strcasecmp(x->id, y->id);
}

/*
 * Meters from operands (each looked up: /Devices/{id}, /DeviceBySerial)
 * and folders (/FolderMenu), sorted by serial number, each once.
 */
void
sme_fetch_resolve(struct sme_fetch *f, char **ops, int nops, char **folders,
    int nfolders, int needvd)
{
	json_t *it;
	char *url, *e, *path, *where;
	size_t i, k, first;
	int nf;

	F = f;
	url = sme_api_url(f->base, "/FolderMenu");
	sme_fetch_get(url, on_menu, NULL, 0);
	free(url);
	for (i = 0; i < (size_t)nops; i++) {
		if (isuuid(ops[i])) {
			addmeter("", ops[i], NULL, NULL, NULL);
			free(F->m[F->nm - 1].serial);
			F->m[F->nm - 1].serial = NULL;
			e = sme_api_esc(ops[i]);
			url = sme_api_url(f->base, "/Devices/%s", e);
		} else if (isserial(ops[i])) {
			addmeter(ops[i], "", NULL, NULL, NULL);
			free(F->m[F->nm - 1].id);
			F->m[F->nm - 1].id = NULL;
			e = sme_api_esc(ops[i]);
			url = sme_api_url(f->base, "/DeviceBySerial?serial=%s", e);
		} else {
			sme_die(SME_EX_USAGE, "meter %s: neither a device id (UUID) "
			    "nor a serial number", sme_shown_cut(ops[i]));
		}
		sme_fetch_get(url, on_device, NULL, (long)i);
		free(e);
		free(url);
	}
	if ((nfolders && needvd) || needvd > 1) {
		url = sme_api_url(f->base, "/Devices");
		sme_fetch_get(url, on_devices, NULL, 0);
		free(url);
	}
	sme_http_run(f->http);

	first = F->nm;
	for (nf = 0; nf < nfolders; nf++) {
		it = sme_fetch_folder(folders[nf], &path);
		collect(it, path);
		free(path);
	}
	/* the ValueDate of folder meters, from the device list */
	if (F->devices)
		valuedates(first);
	/* operands: their metering point ID and folder from the menu */
	for (i = 0; i < first; i++) {
		where = NULL;
		if ((it = menuitem(sme_api_get(F->menu, "Items"), "", F->m[i].id,
		    &where))) {
			const char *mp = mpidof(it);

			if (mp && *mp) {
				F->m[i].mpid = trimdup(mp);
				if (!*F->m[i].mpid) {
					free(F->m[i].mpid);
					F->m[i].mpid = NULL;
				}
			}
			F->m[i].path = where;
		}
	}
	if (f->mpid)
		for (i = 0; i < F->nm; i++) {
			free(F->m[i].mpid);
			F->m[i].mpid = estrdup(f->mpid);
		}
	if (F->nm)
		qsort(F->m, F->nm, sizeof *F->m, metercmp);
	/* each device once */
	for (i = k = 0; i < F->nm; i++) {
		if (k && !strcasecmp(F->m[k - 1].id, F->m[i].id)) {
			sme_fetch_meter_free(&F->m[i]);
			continue;
		}
		F->m[k++] = F->m[i];
	}
	F->nm = k;
}

void
sme_fetch_meter_free(struct sme_fetch_meter *m)
{
	free(m->serial);
	free(m->id);
	free(m->mpid);
	free(m->path);
	free(m->name);
}

/* ---- readings ---- */

static int
entrycmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	if (x->t != y->t)
		return x->t < y->t ? -1 : 1;
	return sme_obis_cmp(&x->o, &y->o);
}

/* the unit of a register code; NULL for what is no register */
static const char *
unitof(const struct sme_obis *o)
{
	struct sme_obis_info in;

	sme_obis_describe(o, &in);
	if (!in.unit)
		return NULL;
	if (o->g[0] == 1 ? o->g[3] != 8 : o->g[3] != 0)
		return NULL;
	return in.unit;
}

/* the code CounterReading holds: 1.8.0 of electricity, 1.0.0 otherwise */
static int
isref(const struct sme_obis *o)
{
	if (o->g[0] == 1)
		return o->g[2] == 1 && o->g[3] == 8 && o->g[4] == 0;
	return o->g[2] == 1 && o->g[3] == 0 && o->g[4] == 0;
}

static void pump(void);
static void complete(struct meter *mt);

struct vctx {
	struct meter *mt;
	const char *url;
	const char *why;
};

static int
onevalue(void *arg, int64_t t, const char *code, size_t ncode,
    const char *num, size_t nnum)
{
	struct vctx *c = arg;
	struct meter *mt = c->mt;
	struct entry e;

	if (t < F->from || t >= F->to)
		return 0;
	if ((t - F->from) % F->interval) {
		offgrid++;
		return 0;
	}
	/* values after the meter's last ValueDate repeat, not measure */
	if (mt->m->hasvd && t > mt->m->valuedate)
		return 0;
	if (!code || sme_obis_parse(&e.o, code, ncode) < 0) {
		c->why = "a value without a good Obis code";
		return -1;
	}
	if (!num)
		return 0;	/* null or absent: no value */
	if (sme_dec_parse(&e.v, num, nnum) != SME_DEC_OK) {
		c->why = "a value that is no number of at most 18 digits";
		return -1;
	}
	if (!unitof(&e.o)) {
		if (!nodrop++)
			sme_obis_format(&e.o, dropped);
		return 0;
	}
	e.t = t;
	if (mt->n == mt->cap) {
		mt->cap = mt->cap ? 2 * mt->cap : 256;
		mt->e = erealloc(mt->e, mt->cap * sizeof *mt->e);
	}
	mt->e[mt->n++] = e;
	return 0;
}

static void
on_values(struct sme_http_req *rq)
{
	struct vctx c = { rq->arg, rq->url, "a value without a good Date" };
	struct meter *mt = rq->arg;
	int r;

	if (sme_fetch_check(rq, 0))
		return;
	r = rq->body ? sme_api_values(rq->body, rq->len, onevalue, &c) : -1;
	if (r == -1)
		sme_die(SME_EX_REMOTE, "%s: malformed or truncated JSON", sme_shown(rq->url));
	if (r < 0)
		sme_die(SME_EX_REMOTE, "%s: %s", sme_shown(rq->url), c.why);
	if (--mt->pending == 0) {
		complete(mt);	/* the calibration starts at once */
		pump();
	}
}

static int
near(double x, double c)
{
	double d = x - c;

	if (d < 0)
		d = -d;
	return d <= (c < 0 ? -c : c) * 1e-3 + 5e-4;
}

static void
on_calibrate(struct sme_http_req *rq)
{
	struct meter *mt = rq->arg;
	json_t *j = sme_fetch_json(rq, 0);
	struct entry *ref = &mt->e[rq->tag];
	struct sme_dec c;
	const char *unit;
	char code[SME_OBIS_MAX], vt[SME_DEC_MAX + 1], ct[SME_DEC_MAX + 1],
	    tt[SME_TIME_MAX];
	double x, cv;
	int s;

	if (!j)
		return;
	unit = sme_api_str(sme_api_get(j, "CounterReadingUnit"));
	if (sme_api_dec(sme_api_get(j, "CounterReading"), &c) < 0) {
		sme_warn("warning: meter %s: no counter reading to calibrate "
		    "against: scale 1 assumed (-u sets it)", mt->m->serial);
		mt->shift = 0;
	} else {
		cv = strtod(sme_api_numtext(sme_api_get(j, "CounterReading")), NULL);
		if (unit && !strcmp(unit, "Wh"))
			cv /= 1000;
		else if (unit && !strcmp(unit, "MWh"))
			cv *= 1000;
		vt[sme_dec_format(ref->v, vt, '.')] = '\0';
		x = strtod(vt, NULL);
		for (s = 0; s <= 6; s += 3, x /= 1000)
			if (near(x, cv))
				break;
		if (s > 6) {
			sme_obis_format(&ref->o, code);
			sme_time_format(ref->t, tt);
			ct[sme_dec_format(c, ct, '.')] = '\0';
			sme_die(SME_EX_DATA, "meter %s (device %s): no scale of 1, "
			    "0.001 or 0.000001 fits: %s is %s at %s, the counter "
			    "reading %s %s (-u sets the scale)", mt->m->serial,
			    mt->m->id, code, vt, tt, ct, unit ? sme_shown_cut(unit) : "");
		}
		mt->shift = s;
	}
	json_decref(j);
	mt->done = 1;
	pump();
}

/* all chunks are in: sorted, once each; then the scale */
static void
complete(struct meter *mt)
{
	struct sme_http_req *rq;
	size_t i, k;
	char *url, *e, tt[SME_TIME_MAX];

	qsort(mt->e, mt->n, sizeof *mt->e, entrycmp);
	for (i = k = 0; i < mt->n; i++) {
		if (k && mt->e[k - 1].t == mt->e[i].t &&
		    !sme_obis_cmp(&mt->e[k - 1].o, &mt->e[i].o))
			continue;	/* the seam of two requests */
		mt->e[k++] = mt->e[i];
	}
	mt->n = k;
	mt->shift = F->shift;
	if (mt->shift >= 0 || mt->n == 0) {
		mt->done = 1;
		return;
	}
	for (i = 0; i < mt->n && !isref(&mt->e[i].o); i++)
		;
	if (i == mt->n) {
		sme_warn("warning: meter %s: no register to calibrate: scale 1 "
		    "assumed (-u sets it)", mt->m->serial);
		mt->shift = 0;
		mt->done = 1;
		return;
	}
	sme_time_format(mt->e[i].t, tt);
	e = sme_api_esc(mt->m->id);
	url = sme_api_url(F->base, "/MeterValues/%s?date=%s", e, tt);
	mt->pending = 1;
	/* first in the queue: the meter is then complete and can be written */
	rq = sme_http_req_new(url, on_calibrate, mt);
	rq->tag = (long)i;
	sme_http_add_first(F->http, rq);
	free(url);
	free(e);
}

static void
gap(struct meter *mt, int64_t a, int64_t b)
{
	char ta[SME_TIME_MAX], tb[SME_TIME_MAX], tv[SME_TIME_MAX];

	sme_time_format(a, ta);
	sme_time_format(b, tb);
	F->incomplete = 1;
	if (b == F->to && mt->m->hasvd && mt->m->valuedate < F->to) {
		sme_time_format(mt->m->valuedate, tv);
		sme_warn("meter %s: no values from %s to %s (last value at %s)",
		    mt->m->serial, ta, tb, tv);
	} else {
		sme_warn("meter %s: no values from %s to %s", mt->m->serial, ta,
		    tb);
	}
}

static void
emit(struct meter *mt)
{
	struct sme_record r;
	struct sme_fetch_meter *m = mt->m;
	int64_t g, missing = -1;
	size_t i = 0;

	memset(&r, 0, sizeof r);
	r.meter.p = m->serial;
	r.meter.n = strlen(m->serial);
	r.device.p = m->id;
	r.device.n = strlen(m->id);
	if (m->mpid) {
		r.mpid.p = m->mpid;
		r.mpid.n = strlen(m->mpid);
	}
	r.flags = SME_R_TIME | SME_R_VALUE;
	for (g = F->from; g < F->to; g += F->interval) {
		if (i >= mt->n || mt->e[i].t != g) {
			if (missing < 0)
				missing = g;
			continue;
		}
		if (missing >= 0) {
			gap(mt, missing, g);
			missing = -1;
		}
		for (; i < mt->n && mt->e[i].t == g; i++) {
			r.obis = mt->e[i].o;
			r.time = g;
			r.value = mt->e[i].v;
			if (mt->shift) {
				r.value.scale += mt->shift;
				if (r.value.scale > 18)
					sme_die(SME_EX_DATA, "meter %s: a value "
					    "of more than 18 decimals", m->serial);
			}
			r.unit.p = unitof(&r.obis);
			r.unit.n = strlen(r.unit.p);
			sme_record_write(&r);
		}
	}
	if (missing >= 0)
		gap(mt, missing, F->to);
	free(mt->e);
	mt->e = NULL;
	mt->n = mt->cap = 0;
}

static void
startmeter(struct meter *mt)
{
	int64_t span = (int64_t)(F->cap - 1) * F->interval, s, e;
	char *url, *id, ts[SME_TIME_MAX], te[SME_TIME_MAX];

	id = sme_api_esc(mt->m->id);
	mt->shift = -1;
	/* chunks [s, e] of at most cap values; e is the next chunk's s */
	for (s = F->from; s < F->to; s += span) {
		e = s + span < F->to ? s + span : F->to;
		sme_time_format(s, ts);
		sme_time_format(e, te);
		url = sme_api_url(F->base, "/ValuesInPastMultiple/%s?startDate=%s"
		    "&endDate=%s&interval=%lld", id, ts, te,
		    (long long)(F->interval / SME_NS / 60));
		mt->pending++;
		sme_fetch_get(url, on_values, mt, 0);
		free(url);
	}
	free(id);
}

static void
progress(int last)
{
	double t = mono();

	if (!F->progress || (!last && t - tprog < 0.1))
		return;
	tprog = t;
	fprintf(stderr, "\r%s: %zu/%zu meters, %.1f/s", sme_prog, nwritten,
	    F->nm, t > t0 ? (double)nwritten / (t - t0) : 0.0);
	if (last)
		fputc('\n', stderr);
}

/*
 * Meters start in output order, at most window of them between the next
 * to write and the last started; a meter that is complete waits until
 * all before it are written.  So memory holds the readings of at most
 * window meters, whatever their number.
 */
static void
pump(void)
{
	size_t window = 4 * (size_t)F->jobs;

	for (; head < next; head++) {
		struct meter *mt = &M[head];

		if (!mt->done)
			break;
		emit(mt);
		nwritten++;
		progress(0);
	}
	while (next < F->nm && next - head < window)
		startmeter(&M[next++]);
}

void
sme_fetch_readings(struct sme_fetch *f, char **ops, int nops,
    char **folders, int nfolders)
{
	size_t i;

	F = f;
	t0 = mono();
	sme_fetch_resolve(f, ops, nops, folders, nfolders, 1);
	/* the inventory is not needed any more: only the meter list stays */
	json_decref(f->menu);
	json_decref(f->devices);
	f->menu = f->devices = NULL;
	if (!f->nm)
		sme_die(SME_EX_USAGE, "no meter in the folders given");
	M = ecalloc(f->nm, sizeof *M);
	for (i = 0; i < f->nm; i++)
		M[i].m = &f->m[i];
	pump();
	sme_http_run(f->http);
	if (head != f->nm)
		sme_die(SME_EX_REMOTE, "internal error: %zu meters not written",
		    f->nm - head);
	progress(1);
	if (offgrid)
		sme_warn("warning: ignored %ld values off the %lld-second grid",
		    offgrid, (long long)(f->interval / SME_NS));
	if (nodrop)
		sme_warn("warning: dropped %ld values of codes that are no energy "
		    "or volume register (e.g. %s)", nodrop, dropped);
	free(M);
}
