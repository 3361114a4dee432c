/* sme tests: known_hosts patterns as OpenSSH matches them (sme_kh_match); licence in COPYING */
#include <string.h>

#include "sme.h"
#include "tap.h"

int
main(void)
{
	static const struct {
		const char *name, *list;
		int want;
	} t[] = {
		{ "host", "host", 1 },
		{ "host", "HOST", 1 },
		{ "host", "other", 0 },
		{ "host", "other,host", 1 },
		{ "host", "h*", 1 },
		{ "host", "h?st", 1 },
		{ "host", "h?t", 0 },
		{ "host", "*", 1 },
		{ "host", "!host", -1 },
		{ "host", "*,!host", -1 },
		{ "host", "!host,*", -1 },
		{ "host", "*,!other", 1 },
		{ "host", "!other", 0 },
		{ "[host]:2222", "host", 0 },
		{ "[host]:2222", "[host]:2222", 1 },
		{ "[host]:2222", "[h*]:22", 0 },
		{ "[host]:2222", "[h*]:22*", 1 },
		{ "a.b.example.com", "*.example.com", 1 },
		{ "example.com", "*.example.com", 0 },
		{ "host", "", 0 },
		{ "host", ",,host,", 1 },
		{ "hostt", "*t", 1 },
		{ "aaa", "a*a*a*a", 0 },
	};
	size_t i;

	for (i = 0; i < sizeof t / sizeof t[0]; i++)
		ok(sme_kh_match(t[i].name, t[i].list) == t[i].want,
		    "\"%s\" against \"%s\": %d", t[i].name, t[i].list, t[i].want);
	return done_testing();
}
