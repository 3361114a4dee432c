/* sme tests: TAP from C; licence in COPYING */
#include <stdio.h>
static int tap_n, tap_fail;
#define ok(cond, ...) do { int c_ = !!(cond); tap_n++; if (!c_) tap_fail++; \
	printf("%sok %d - ", c_ ? "" : "not ", tap_n); printf(__VA_ARGS__); \
	putchar('\n'); } while (0)
#define is_str(got, want, ...) do { const char *g_ = (got), *w_ = (want); \
	ok(!strcmp(g_, w_), __VA_ARGS__); \
	if (strcmp(g_, w_)) printf("#   got \"%s\"\n#  want \"%s\"\n", g_, w_); } while (0)
#define done_testing() (printf("1..%d\n", tap_n), fflush(stdout), tap_fail ? 1 : 0)
