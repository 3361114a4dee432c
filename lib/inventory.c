/* sme: the smart-me inventory (devices, folders) and virtual tariffs as records; licence in COPYING */
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <jansson.h>

#include "sme.h"

static const char *const energies[] = {
	"Unknown", "Electricity", "Water", "Gas", "Heat", "HCA", "AllMeters",
	"Temperature", "MBusGateway", "RS485Gateway", "CustomDevice",
	"CompressedAir", "SolarLog", "VirtualMeter"
};
static const char *const intervals[] = {
	"NoExport", "Hourly", "Daily", "Weekly", "Monthly", "QuaterYearly",
	"HalfYearly", "Yearly"
};
static const char *const ivout[] = {
	"none", "hourly", "daily", "weekly", "monthly", "quarterly",
	"halfyearly", "yearly"
};

struct line {
	char *key;		/* the serial or the path: the order */
	char *text;
};

static struct line *lines;
static size_t nlines;

static void
add(const char *key, json_t *o)
{
	char *t = json_dumps(o, JSON_COMPACT);

	if (!t)
		sme_die(SME_EX_LOCAL, "out of memory");
	lines = erealloc(lines, (nlines + 1) * sizeof *lines);
	lines[nlines].key = estrdup(key);
	lines[nlines++].text = t;
	json_decref(o);
}

static int
byserial(const void *a, const void *b)
{
	const struct line *x = a, *y = b;
	struct sme_str sx = { x->key, strlen(x->key) };
	struct sme_str sy = { y->key, strlen(y->key) };

	return sme_meter_cmp(sx, sy);
}

static int
bypath(const void *a, const void *b)
{
	return strcmp(((const struct line *)a)->key,
	    ((const struct line *)b)->key);
}

static void
flush(int (*cmp)(const void *, const void *))
{
	size_t i, n;
	char *o;

	qsort(lines, nlines, sizeof *lines, cmp);
	for (i = 0; i < nlines; i++) {
		n = strlen(lines[i].text);
		o = sme_out_reserve(n + 1);
		memcpy(o, lines[i].text, n);
		o[n] = '\n';
		sme_out_commit(n + 1);
		free(lines[i].key);
		free(lines[i].text);
	}
	free(lines);
	lines = NULL;
	nlines = 0;
}

static void
setstr(json_t *o, const char *k, const char *v)
{
	if (v)
		json_object_set_new(o, k, json_string(v));
}

/* the Auto Export settings of a menu item: mpid, format, upload, interval */
static void
autoexport(json_t *o, json_t *it)
{
	json_t *ae = sme_api_get(it, "AutoExportSettings");
	const char *s;
	long iv;

	if (!ae)
		return;
	if ((s = sme_api_str(sme_api_get(ae, "MeterPointId")))) {
		while (*s == ' ')
			s++;
		if (*s) {
			char *t = estrdup(s);
			size_t n = strlen(t);

			while (n && t[n - 1] == ' ')
				t[--n] = '\0';
			setstr(o, "mpid", t);
			free(t);
		}
	}
	setstr(o, "format", sme_api_str(sme_api_get(ae, "ExportFormat")));
	setstr(o, "upload", sme_api_str(sme_api_get(ae, "UploadType")));
	if (sme_api_enum(sme_api_get(ae, "ExportInterval"), intervals, 8, &iv) == 0)
		json_object_set_new(o, "interval", iv >= 0 && iv < 8 ?
		    json_string(ivout[iv]) : json_integer(iv));
	else if (!strcasecmp(sme_api_str(sme_api_get(ae, "ExportInterval")) ?
	    sme_api_str(sme_api_get(ae, "ExportInterval")) : "", "QuarterYearly"))
		json_object_set_new(o, "interval", json_string("quarterly"));
}

static int
ismeter(json_t *it)
{
	long t;

	return sme_api_enum(sme_api_get(it, "FolderType"), NULL, 0, &t) == 0 &&
	    t == 1000;
}

static long
countmeters(json_t *it)
{
	json_t *k;
	size_t i;
	long n = 0;

	json_array_foreach(sme_api_get(it, "Children"), i, k)
		n += ismeter(k) ? 1 : countmeters(k);
	return n;
}

static void
folders(json_t *items, const char *path)
{
	json_t *k, *o;
	const char *name;
	char *p;
	size_t i;

	json_array_foreach(items, i, k) {
		if (ismeter(k))
			continue;
		name = sme_api_str(sme_api_get(k, "Name"));
		p = emalloc(strlen(path) + (name ? strlen(name) : 0) + 2);
		sprintf(p, "%s/%s", path, name ? name : "");
		o = json_object();
		setstr(o, "id", sme_api_str(sme_api_get(k, "Id")));
		setstr(o, "name", name);
		setstr(o, "folder", p);
		json_object_set_new(o, "meters", json_integer(countmeters(k)));
		autoexport(o, k);
		add(p, o);
		folders(sme_api_get(k, "Children"), p);
		free(p);
	}
}

static void
device(json_t *d, int wanted)
{
	const char *serial = sme_api_numtext(sme_api_get(d, "Serial"));
	const char *id = sme_api_str(sme_api_get(d, "Id"));
	json_t *o, *it;
	char *path;
	long e;

	(void)wanted;
	if (!id || !serial)
		sme_die(SME_EX_REMOTE, "/Devices: a device without id or serial "
		    "number");
	o = json_object();
	setstr(o, "id", id);
	setstr(o, "serial", serial);
	setstr(o, "name", sme_api_str(sme_api_get(d, "Name")));
	if (sme_api_enum(sme_api_get(d, "DeviceEnergyType"), energies, 14, &e) == 0) {
		if (e >= 0 && e < 14) {
			char n[32];
			size_t i;

			for (i = 0; energies[e][i] && i < sizeof n - 1; i++)
				n[i] = (char)(energies[e][i] | 0x20);
			n[i] = '\0';
			json_object_set_new(o, "energy", json_string(n));
		} else {
			json_object_set_new(o, "energy", json_integer(e));
		}
	}
	if ((it = sme_fetch_menuitem(id, &path))) {
		setstr(o, "folder", path);
		autoexport(o, it);
	}
	free(path);
	add(serial, o);
}

void
sme_fetch_list(struct sme_fetch *f, int wantfolders, char **spec, int nspec)
{
	json_t *d, *it;
	const char *id;
	char *path;
	size_t i, k;
	int n;

	sme_fetch_resolve(f, NULL, 0, spec, nspec, wantfolders ? 0 : 2);
	if (wantfolders) {
		if (!nspec)
			folders(sme_api_get(f->menu, "Items"), "");
		for (n = 0; n < nspec; n++) {
			it = sme_fetch_folder(spec[n], &path);
			json_t *one = json_array();

			json_array_append(one, it);
			*strrchr(path, '/') = '\0';
			folders(one, path);
			json_decref(one);
			free(path);
		}
		flush(bypath);
		return;
	}
	if (!json_is_array(f->devices))
		sme_die(SME_EX_REMOTE, "/Devices: no device list in the reply");
	json_array_foreach(f->devices, i, d) {
		id = sme_api_str(sme_api_get(d, "Id"));
		if (nspec) {
			for (k = 0; k < f->nm; k++)
				if (id && !strcasecmp(f->m[k].id, id))
					break;
			if (k == f->nm)
				continue;
		}
		/* a device the list repeats is listed once */
		for (k = 0; id && k < i; k++) {
			const char *o = sme_api_str(sme_api_get(
			    json_array_get(f->devices, k), "Id"));

			if (o && !strcasecmp(o, id))
				break;
		}
		if (id && k < i)
			continue;
		device(d, 1);
	}
	flush(byserial);
}

/* ---- virtual tariffs ---- */

struct tariff {
	char *name, *unit;
	struct sme_dec value;	/* the counter now (at date) */
	long number;
};

struct vfolder {
	char *id, *path, *mpid;
	int64_t date;		/* of the counter values */
	struct tariff *t;
	size_t nt;
	struct sme_dec *used;	/* [grid point][tariff]: since the point */
	unsigned char *have;
	size_t ngrid;
};

static struct sme_fetch *VF;

static void
on_tariffs(struct sme_http_req *rq)
{
	struct vfolder *v = rq->arg;
	json_t *j = sme_fetch_json(rq, 0), *o, *vt, *x;
	const char *name, *unit;
	size_t i, k;
	int n, found = 0;

	if (!j)
		return;
	if (!json_is_array(j))
		sme_die(SME_EX_REMOTE, "%s: no list of tariffs in the reply", sme_shown(rq->url));
	json_array_foreach(j, i, o) {
		if (sme_api_time(sme_api_get(o, "Date"), &v->date) < 0)
			sme_die(SME_EX_REMOTE, "%s: tariffs without a Date", sme_shown(rq->url));
		found = 1;
		vt = sme_api_get(o, "VirtualTariffs");
		json_array_foreach(vt, k, x) {
			struct tariff *t;

			name = sme_api_str(sme_api_get(x, "Name"));
			if (!name)
				sme_die(SME_EX_REMOTE, "%s: a tariff without a Name",
				    sme_shown(rq->url));
			v->t = erealloc(v->t, (v->nt + 1) * sizeof *v->t);
			t = &v->t[v->nt++];
			memset(t, 0, sizeof *t);
			t->name = estrdup(name);
			unit = sme_api_str(sme_api_get(x, "Unit"));
			t->unit = estrdup(unit && *unit ? unit : "kWh");
			if (sme_api_dec(sme_api_get(x, "Value"), &t->value) < 0)
				sme_die(SME_EX_REMOTE, "%s: tariff %s: no Value",
				    sme_shown(rq->url), sme_shown_cut(name));
			t->number = -1;
			for (n = 0; n < VF->ntariffs; n++)
				if (!strcmp(VF->tariffs[n].name, name))
					t->number = VF->tariffs[n].number;
			if (t->number < 0)
				sme_die(SME_EX_USAGE, "virtual tariff \"%s\" of %s has "
				    "no number: give -T '%s=N'", sme_shown_cut(name),
				    sme_shown_cut(v->path), sme_shown_cut(name));
		}
		break;	/* one folder asked, one answer */
	}
	if (!found)
		sme_warn("warning: %s has no virtual tariffs", sme_shown_cut(v->path));
	json_decref(j);
}

static void
on_used(struct sme_http_req *rq)
{
	struct vfolder *v = rq->arg;
	json_t *j = sme_fetch_json(rq, 0), *o;
	const char *name;
	struct sme_dec c;
	size_t i, k;

	if (!j)
		return;
	if (!json_is_array(j))
		sme_die(SME_EX_REMOTE, "%s: no list of consumptions in the reply",
		    sme_shown(rq->url));
	json_array_foreach(j, i, o) {
		name = sme_api_str(sme_api_get(o, "Name"));
		if (!name || sme_api_dec(sme_api_get(o, "Consumption"), &c) < 0)
			continue;
		for (k = 0; k < v->nt; k++)
			if (!strcmp(v->t[k].name, name)) {
				v->used[rq->tag * v->nt + k] = c;
				v->have[rq->tag * v->nt + k] = 1;
			}
	}
	json_decref(j);
}

static int
byid(const void *a, const void *b)
{
	const struct vfolder *x = a, *y = b;
	struct sme_str sx = { x->id, strlen(x->id) };
	struct sme_str sy = { y->id, strlen(y->id) };

	return sme_meter_cmp(sx, sy);
}

void
sme_fetch_tariffs(struct sme_fetch *f, char **spec, int nspec)
{
	struct vfolder *v = ecalloc((size_t)nspec, sizeof *v);
	struct sme_record r;
	json_t *it;
	char *url, *e, ts[SME_TIME_MAX], td[SME_TIME_MAX], tf[SME_TIME_MAX];
	int64_t g;
	size_t k, gi;
	int n;

	VF = f;
	sme_fetch_resolve(f, NULL, 0, NULL, 0, 0);
	for (n = 0; n < nspec; n++) {
		it = sme_fetch_folder(spec[n], &v[n].path);
		v[n].id = estrdup(sme_api_str(sme_api_get(it, "Id")) ?
		    sme_api_str(sme_api_get(it, "Id")) : "");
		if (f->mpid) {
			v[n].mpid = estrdup(f->mpid);
		} else {
			json_t *o = json_object();

			autoexport(o, it);
			if (json_string_value(json_object_get(o, "mpid")))
				v[n].mpid = estrdup(json_string_value(
				    json_object_get(o, "mpid")));
			json_decref(o);
		}
		e = sme_api_esc(v[n].id);
		url = sme_api_url(f->base, "/VirtualTariffsForProperty/%s", e);
		sme_fetch_get(url, on_tariffs, &v[n], 0);
		free(url);
		free(e);
	}
	sme_http_run(f->http);
	for (n = 0; n < nspec; n++) {
		v[n].ngrid = (size_t)((f->to - f->from + f->interval - 1) / f->interval);
		v[n].used = ecalloc(v[n].ngrid * (v[n].nt + 1), sizeof *v[n].used);
		v[n].have = ecalloc(v[n].ngrid * (v[n].nt + 1), 1);
		if (!v[n].nt)
			continue;
		e = sme_api_esc(v[n].id);
		sme_time_format(v[n].date, td);
		for (gi = 0, g = f->from; g < f->to; g += f->interval, gi++) {
			if (g > v[n].date)
				break;
			sme_time_format(g, ts);
			url = sme_api_url(f->base, "/VirtualTariffConsumption?folderId=%s"
			    "&startDate=%s&endDate=%s", e, ts, td);
			sme_fetch_get(url, on_used, &v[n], (long)gi);
			free(url);
		}
		free(e);
	}
	sme_http_run(f->http);

	/* by meter (the folder id), time, then tariff number */
	qsort(v, (size_t)nspec, sizeof *v, byid);
	for (n = 0; n < nspec; n++) {
		struct tariff *t = v[n].t;
		size_t *ord = ecalloc(v[n].nt + 1, sizeof *ord), a, b;
		int64_t missing = -1;

		for (k = 0; k < v[n].nt; k++)
			ord[k] = k;
		for (a = 1; a < v[n].nt; a++)
			for (b = a; b > 0 && t[ord[b - 1]].number > t[ord[b]].number; b--) {
				size_t x = ord[b];

				ord[b] = ord[b - 1];
				ord[b - 1] = x;
			}
		memset(&r, 0, sizeof r);
		r.meter.p = v[n].id;
		r.meter.n = strlen(v[n].id);
		if (v[n].mpid) {
			r.mpid.p = v[n].mpid;
			r.mpid.n = strlen(v[n].mpid);
		}
		sme_obis_parse(&r.obis, "1-0:1.8.0*255", 13);
		r.flags = SME_R_TIME | SME_R_VALUE | SME_R_TARIFF;
		for (gi = 0, g = f->from; g < f->to && v[n].nt; g += f->interval, gi++) {
			int all = 1;

			for (k = 0; k < v[n].nt; k++)
				all &= v[n].have[gi * v[n].nt + k];
			if (!all) {
				if (missing < 0)
					missing = g;
				continue;
			}
			if (missing >= 0) {
				sme_time_format(missing, ts);
				sme_time_format(g, tf);
				sme_warn("%s: no virtual tariff values from %s to %s",
				    sme_shown_cut(v[n].path), ts, tf);
				f->incomplete = 1;
				missing = -1;
			}
			for (k = 0; k < v[n].nt; k++) {
				struct tariff *x = &t[ord[k]];

				if (sme_dec_sub(&r.value, x->value,
				    v[n].used[gi * v[n].nt + ord[k]]) != SME_DEC_OK)
					sme_die(SME_EX_DATA, "%s: tariff %s: the "
					    "register cannot be represented",
					    sme_shown_cut(v[n].path), sme_shown_cut(x->name));
				r.time = g;
				r.tariff = x->number;
				r.unit.p = x->unit;
				r.unit.n = strlen(x->unit);
				sme_record_write(&r);
			}
		}
		if (missing >= 0) {
			sme_time_format(missing, ts);
			sme_time_format(f->to, tf);
			sme_time_format(v[n].date, td);
			sme_warn("%s: no virtual tariff values from %s to %s (last "
			    "calculated at %s)", sme_shown_cut(v[n].path), ts, tf, td);
			f->incomplete = 1;
		}
		free(ord);
	}
	for (n = 0; n < nspec; n++) {
		for (k = 0; k < v[n].nt; k++) {
			free(v[n].t[k].name);
			free(v[n].t[k].unit);
		}
		free(v[n].t);
		free(v[n].used);
		free(v[n].have);
		free(v[n].id);
		free(v[n].path);
		free(v[n].mpid);
	}
	free(v);
}
