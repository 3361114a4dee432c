/* sme: CSV fields, quoted as RFC 4180 says; licence in COPYING */
#include <string.h>

#include "sme.h"

char *
sme_csv_field(char *o, const char *s, size_t n, int delim)
{
	const char *e = s + n, *p;

	for (p = s; p < e; p++)
		if (*p == delim || *p == '"' || *p == '\r' || *p == '\n')
			break;
	if (p == e) {
		memcpy(o, s, n);
		return o + n;
	}
	*o++ = '"';
	for (p = s; p < e; p++) {
		if (*p == '"')
			*o++ = '"';
		*o++ = *p;
	}
	*o++ = '"';
	return o;
}
