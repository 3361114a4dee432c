/* sme bench: a year of 15-minute load-profile intervals as JSON lines; licence in COPYING */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

/*
 * genprofile [-m POINTS] [-q QUARTERS]: POINTS metering points (100), each
 * with QUARTERS quarter-hours (35040, a year) of 1-1:1.29.0 and 1-1:2.29.0
 * from 2025-12-31T23:00:00Z (midnight in Zurich), sorted by point, time,
 * code; values with three decimals.
 */
int
main(int argc, char *argv[])
{
	long points = 100, quarters = 35040, p, q;
	time_t t0 = 1767222000;	/* 2025-12-31T23:00:00Z */
	char a[32], b[32];
	struct tm tm;
	int c;

	while ((c = getopt(argc, argv, "m:q:")) != -1) {
		if (c == 'm')
			points = atol(optarg);
		else if (c == 'q')
			quarters = atol(optarg);
		else
			return 2;
	}
	for (p = 0; p < points; p++)
		for (q = 0; q < quarters; q++) {
			time_t s = t0 + 900 * q, e = s + 900;

			gmtime_r(&s, &tm);
			strftime(a, sizeof a, "%Y-%m-%dT%H:%M:%SZ", &tm);
			gmtime_r(&e, &tm);
			strftime(b, sizeof b, "%Y-%m-%dT%H:%M:%SZ", &tm);
			printf("{\"meter\":\"%ld\",\"mpid\":\"CH100880123450000000000%010ld\","
			    "\"obis\":\"1-1:1.29.0*255\",\"start\":\"%s\",\"end\":\"%s\","
			    "\"value\":%ld.%03ld,\"unit\":\"kWh\"}\n", 1000 + p, p, a, b,
			    (q * 7 + p) % 5, (q * 37 + p) % 1000);
			printf("{\"meter\":\"%ld\",\"mpid\":\"CH100880123450000000000%010ld\","
			    "\"obis\":\"1-1:2.29.0*255\",\"start\":\"%s\",\"end\":\"%s\","
			    "\"value\":0.%03ld,\"unit\":\"kWh\"}\n", 1000 + p, p, a, b,
			    (q * 11 + p) % 1000);
		}
	if (fflush(stdout) == EOF || ferror(stdout))
		return 6;
	return 0;
}
