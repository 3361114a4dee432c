/* sme: the commands that export one period of a job: fetch, map, format, upload; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"

struct argv {
	char **v;
	size_t n, cap;
};

static void
add(struct argv *a, const char *s)
{
	if (a->n + 2 > a->cap) {
		a->cap = a->cap ? 2 * a->cap : 16;
		a->v = erealloc(a->v, a->cap * sizeof *a->v);
	}
	a->v[a->n++] = estrdup(s);
	a->v[a->n] = NULL;
}

static void
add2(struct argv *a, const char *opt, const char *s)
{
	if (!s)
		return;
	add(a, opt);
	add(a, s);
}

/*
 * -k for sme-obis from a CSV column list: the codes as C.D.E, so that
 * they match whatever channel B the meter reads them with (sme-csv's
 * columns treat B=0 and B=1 alike), and no record reaches sme-csv that
 * it would only count in a warning.
 */
static void
keep(struct argv *a, const char *columns)
{
	struct sme_obis *v;
	char *bad, *list, *o;
	int n, i;

	if ((n = sme_obis_list(columns, 1, &v, &bad)) <= 0)
		return;
	o = list = emalloc((size_t)n * 12 + 1);
	for (i = 0; i < n; i++)
		o += sprintf(o, "%s%u.%u.%u", i ? ";" : "", v[i].g[SME_OBIS_C],
		    v[i].g[SME_OBIS_D], v[i].g[SME_OBIS_E]);
	add2(a, "-k", list);
	free(list);
	free(v);
}

void
sme_pipeline_build(struct sme_pipeline *pl, const struct sme_config *c,
    const struct sme_job *j, struct sme_period p, const char *file)
{
	struct argv a = { 0 };
	const struct sme_format *f = j->format;
	const struct sme_target *t = j->target;
	char from[SME_TIME_MAX], to[SME_TIME_MAX];
	int64_t grid = sme_duration_parse(j->grid);
	size_t i;

	/*
	 * Intervals (load profiles, feeds) need the reading at the period's
	 * end, which closes its last interval; readings go out in [start,
	 * end), so that each is in one file only.
	 */
	if (f->type == SME_FMT_CSV || (f->type == SME_FMT_ISE &&
	    !strcmp(f->kind, "reading")))
		grid = 0;
	sme_time_format(p.start * SME_NS, from);
	sme_time_format((p.end + grid) * SME_NS, to);
	add(&a, "sme-fetch");
	add2(&a, "-a", c->api_url);
	add2(&a, "-A", c->api_auth_file);
	add2(&a, "-f", from);
	add2(&a, "-t", to);
	add2(&a, "-i", j->grid);
	add2(&a, "-z", j->zone);
	add2(&a, "-m", j->mpid);
	if (j->virtual) {
		add(&a, "-v");
		for (i = 0; i < j->ntariffs; i++)
			add2(&a, "-T", j->tariffs[i]);
	}
	add2(&a, "-F", j->folder);
	for (i = 0; i < j->ndevices; i++)
		if (j->devices[i][0] == '-') {
			add(&a, "--");	/* "-231328692" is a serial, no option */
			break;
		}
	for (i = 0; i < j->ndevices; i++)
		add(&a, j->devices[i]);
	pl->fetch = a.v;

	memset(&a, 0, sizeof a);
	add(&a, "sme-obis");
	if (j->virtual)
		add(&a, "-v");
	if (f->type == SME_FMT_MSCONS || (f->type == SME_FMT_ISE &&
	    (!strcmp(f->kind, "profile") || !strcmp(f->kind, "peak")))) {
		add(&a, "-p");
		add2(&a, "-i", j->grid);
	} else if (f->type == SME_FMT_ISE && !strcmp(f->kind, "feed")) {
		add(&a, "-f");
	}
	if (f->type == SME_FMT_CSV && f->columns)
		keep(&a, f->columns);
	/* MSCONS carries the totals: the tariff registers go without a warning */
	if (f->type == SME_FMT_MSCONS)
		add2(&a, "-x", "1.8.1;1.8.2;1.8.3;1.8.4;2.8.1;2.8.2;2.8.3;2.8.4");
	add2(&a, "-t", f->type == SME_FMT_MSCONS ? "mscons" :
	    f->type == SME_FMT_CSV ? "csv" : "ise");
	pl->map = a.v;

	memset(&a, 0, sizeof a);
	switch (f->type) {
	case SME_FMT_MSCONS:
		add(&a, "sme-mscons");
		add2(&a, "-r", f->release);
		add2(&a, "-s", f->sender);
		add2(&a, "-R", f->receiver);
		add2(&a, "-P", f->pid);
		add2(&a, "-z", j->zone);
		if (j->trigger == SME_TRIG_12H)
			add(&a, "-e");
		break;
	case SME_FMT_CSV:
		add(&a, "sme-csv");
		add2(&a, "-c", f->columns);
		add2(&a, "-d", f->delimiter);
		add2(&a, "-D", f->decimal);
		add2(&a, "-z", j->zone);
		add2(&a, "-T", f->time_format);
		if (!f->header)
			add(&a, "-H");
		if (f->crlf)
			add(&a, "-r");
		if (f->plain)
			add(&a, "-P");
		break;
	default:
		add(&a, "sme-ise");
		add2(&a, "-k", f->kind);
		if (f->basic)
			add(&a, "-b");
		add2(&a, "-z", j->zone);
		add2(&a, "-d", f->delimiter);
		break;
	}
	pl->format = a.v;

	/* secrets stay in their files: only the files' names go here */
	memset(&a, 0, sizeof a);
	add(&a, "sme-upload");
	add2(&a, "-C", t->cafile);
	add2(&a, "-K", t->known_hosts);
	add2(&a, "-i", t->key);
	add2(&a, "-P", t->password_file);
	add2(&a, "-Q", t->passphrase_file);
	add(&a, t->url);
	add(&a, file);
	pl->upload = a.v;
}

static void
freev(char **v)
{
	size_t i;

	for (i = 0; v && v[i]; i++)
		free(v[i]);
	free(v);
}

void
sme_pipeline_free(struct sme_pipeline *pl)
{
	freev(pl->fetch);
	freev(pl->map);
	freev(pl->format);
	freev(pl->upload);
	memset(pl, 0, sizeof *pl);
}

void
sme_pipeline_print(FILE *fp, const struct sme_pipeline *pl, const char *file)
{
	char *s[4];
	int i;

	s[0] = sme_spawn_shell(pl->fetch);
	s[1] = sme_spawn_shell(pl->map);
	s[2] = sme_spawn_shell(pl->format);
	s[3] = sme_spawn_shell(pl->upload);
	{
		char *argv[] = { (char *)file, NULL };
		char *q = sme_spawn_shell(argv);

		fprintf(fp, "%s |\n    %s |\n    %s >%s &&\n    %s\n", s[0], s[1],
		    s[2], q, s[3]);
		free(q);
	}
	for (i = 0; i < 4; i++)
		free(s[i]);
}
