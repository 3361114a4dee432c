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

/*
 * The text s, n as a spreadsheet formula that gives back exactly that
 * text: ="00123".  Excel, LibreOffice and Gnumeric then show it as text,
 * never as a number, a date or a formula of the data's own.  Inside the
 * literal, '"' and control characters become "&CHAR(n)&"; a literal holds
 * at most 255 bytes (Excel's limit), longer text is joined with &.
 */
size_t
sme_csv_formula(char *o, const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s, *e = p + n;
	char *b = o;
	size_t lit = 0;

	*o++ = '=';
	*o++ = '"';
	for (; p < e; p++) {
		/*
		 * a new literal before 255 bytes, not inside a UTF-8 character
		 * (which has at most 4 bytes; text that is no UTF-8 is cut at 255)
		 */
		if ((lit >= 250 && (*p & 0xc0) != 0x80) || lit >= 255) {
			memcpy(o, "\"&\"", 3);
			o += 3;
			lit = 0;
		}
		if (*p == '"' || *p < 0x20 || *p == 0x7f) {
			memcpy(o, "\"&CHAR(", 7);
			o += 7;
			if (*p >= 100)
				*o++ = (char)('0' + *p / 100);
			if (*p >= 10)
				*o++ = (char)('0' + *p / 10 % 10);
			*o++ = (char)('0' + *p % 10);
			memcpy(o, ")&\"", 3);
			o += 3;
			lit = 0;
			continue;
		}
		*o++ = (char)*p;
		lit++;
	}
	*o++ = '"';
	return (size_t)(o - b);
}
