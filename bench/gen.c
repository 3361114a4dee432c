/* sme bench: generate register readings as JSON lines; licence in COPYING */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define USAGE "gen [-m meters] [-q quarter-hours] [-s start-epoch-seconds]"

/* the CSV code list of the product page, in its order */
static const struct {
	const char *code;
	const char *unit;
	unsigned step;		/* largest increase per quarter-hour, Wh */
} codes[] = {
	{ "1-0:1.8.0*255", "kWh", 2500 },
	{ "1-0:1.8.1*255", "kWh", 1500 },
	{ "1-0:1.8.2*255", "kWh", 1000 },
	{ "1-0:2.8.0*255", "kWh", 1200 },
	{ "1-0:2.8.1*255", "kWh", 700 },
	{ "1-0:2.8.2*255", "kWh", 500 },
	{ "1-1:5.8.0*255", "kvarh", 300 },
	{ "1-1:6.8.0*255", "kvarh", 200 },
	{ "1-1:7.8.0*255", "kvarh", 150 },
	{ "1-1:8.8.0*255", "kvarh", 100 },
};
#define NCODE (sizeof codes / sizeof codes[0])

static char out[1 << 16];
static size_t outn;

static void
flush(void)
{
	if (outn && fwrite(out, 1, outn, stdout) != outn) {
		perror("gen: write error");
		exit(6);
	}
	outn = 0;
}

static void
put(const char *s, size_t n)
{
	if (sizeof out - outn < n)
		flush();
	memcpy(out + outn, s, n);
	outn += n;
}

/* unsigned decimal, right to left */
static char *
putu(char *end, unsigned long long v)
{
	do {
		*--end = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	return end;
}

static unsigned long long rng = 0x9e3779b97f4a7c15ULL;

static unsigned
rnd(unsigned n)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return (unsigned)(rng % n);
}

int
main(int argc, char **argv)
{
	long meters = 100, quarters = 1000, m, q;
	long long start = 1793491200LL;	/* 2026-11-01T00:00:00Z */
	unsigned long long *val;
	char head[128], tbuf[32], num[32], *p;
	size_t headn, c;
	struct tm tm;
	time_t t;
	int ch;

	while ((ch = getopt(argc, argv, "m:q:s:")) != -1) {
		switch (ch) {
		case 'm': meters = atol(optarg); break;
		case 'q': quarters = atol(optarg); break;
		case 's': start = atoll(optarg); break;
		default:
			fprintf(stderr, "usage: %s\n", USAGE);
			return 2;
		}
	}
	if (meters < 1 || quarters < 1 || optind != argc) {
		fprintf(stderr, "usage: %s\n", USAGE);
		return 2;
	}
	val = malloc(NCODE * sizeof *val);
	if (!val)
		return 6;
	for (m = 0; m < meters; m++) {
		/* every third meter has a metering point ID (33 characters) */
		if (m % 3 == 0)
			headn = (size_t)snprintf(head, sizeof head,
			    "{\"meter\":\"%ld\",\"mpid\":\"CH10001%018d%08ld\",\"obis\":\"",
			    12000001 + m, 0, 12000001 + m);
		else
			headn = (size_t)snprintf(head, sizeof head,
			    "{\"meter\":\"%ld\",\"obis\":\"", 12000001 + m);
		for (c = 0; c < NCODE; c++)
			val[c] = 1000000ULL * (unsigned long long)(1 + m % 50) +
			    rnd(1000000);
		for (q = 1; q <= quarters; q++) {
			t = (time_t)(start + 900 * q);
			gmtime_r(&t, &tm);
			strftime(tbuf, sizeof tbuf, "%Y-%m-%dT%H:%M:%SZ", &tm);
			for (c = 0; c < NCODE; c++) {
				val[c] += 1 + rnd(codes[c].step);
				put(head, headn);
				put(codes[c].code, strlen(codes[c].code));
				put("\",\"time\":\"", 10);
				put(tbuf, 20);
				put("\",\"value\":", 10);
				/* Wh as kWh with 3 decimals */
				p = num + sizeof num;
				p = putu(p, val[c] % 1000 + 1000) + 1;
				*--p = '.';
				p = putu(p, val[c] / 1000);
				put(p, (size_t)(num + sizeof num - p));
				put(",\"unit\":\"", 9);
				put(codes[c].unit, strlen(codes[c].unit));
				put("\"}\n", 3);
			}
		}
	}
	flush();
	if (fflush(stdout) == EOF || ferror(stdout)) {
		perror("gen: write error");
		return 6;
	}
	return 0;
}
