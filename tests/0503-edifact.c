/* sme tests: EDIFACT escaping and the tokenizer of libsme; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include "sme.h"
#include "tap.h"

static const char *
esc(const char *s)
{
	static char buf[256];

	buf[sme_edi_escape(buf, s, strlen(s))] = '\0';
	return buf;
}

/* the segments of doc, one per line: TAG+el:comp+... with components raw */
static const char *
tokens(const char *doc)
{
	static char out[4096];
	struct sme_edi_seg *s = malloc(sizeof *s);
	FILE *f = fmemopen((void *)doc, strlen(doc), "r");
	struct sme_edi *e = sme_edi_open(f, "doc");
	char *o = out;
	int i, j;

	while (sme_edi_next(e, s)) {
		for (i = 0; i < s->nel; i++) {
			if (i)
				*o++ = '|';
			for (j = 0; j < s->el[i].ncomp; j++)
				o += sprintf(o, "%s%s", j ? "/" : "", s->el[i].comp[j]);
		}
		*o++ = '\n';
	}
	*o = '\0';
	sme_edi_close(e);
	fclose(f);
	free(s);
	return out;
}

int
main(void)
{
	is_str(esc("plain 123"), "plain 123", "nothing to escape");
	is_str(esc("1-1:1.29.0"), "1-1?:1.29.0", "the OBIS colon");
	is_str(esc("+01"), "?+01", "the offset sign");
	is_str(esc("a?b'c+d:e"), "a??b?'c?+d?:e", "? ' + : each, ? first");
	is_str(esc("??"), "????", "two question marks");
	is_str(esc("."), ".", "the decimal mark is never escaped");

	is_str(tokens("UNA:+.? 'UNB+UNOC:3+1:500'QTY+220:0.250'"),
	    "UNB|UNOC/3|1/500\nQTY|220/0.250\n", "UNA is read, not a segment");
	is_str(tokens("UNB+UNOC:3'LOC+172+CH?+1?:2?'3?\?'"),
	    "UNB|UNOC/3\nLOC|172|CH+1:2'3?\n", "no UNA: the defaults; ? releases each character");
	is_str(tokens("UNA*~,! #UNB~UNOC*3#QTY~220*0,9!#x#"),
	    "UNB|UNOC/3\nQTY|220/0,9#x\n", "service characters of the UNA");
	is_str(tokens("UNB+1'\r\nUNH+1'\nUN\nT+2+1'\n"), "UNB|1\nUNH|1\nUNT|2|1\n",
	    "line ends between and inside segments are no data");
	is_str(tokens("DTM+137:20191215:203+'"), "DTM|137/20191215/203|\n",
	    "an empty last element is an element");
	return done_testing();
}
