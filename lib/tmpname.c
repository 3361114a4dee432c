/* sme: temporary names beside the final one; licence in COPYING */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <openssl/rand.h>

#include "sme.h"

/* ".NAME.sme-XXXXXX.part" beside NAME */
char *
sme_tmpname(const char *name)
{
	static const char al[] =
	    "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
	unsigned char r[6];
	char suf[20], *s;
	size_t n = strlen(name), i;

	if (RAND_bytes(r, sizeof r) != 1)
		for (i = 0; i < sizeof r; i++)
			r[i] = (unsigned char)(rand() ^ getpid());
	memcpy(suf, ".sme-", 5);
	for (i = 0; i < sizeof r; i++)
		suf[5 + i] = al[r[i] % (sizeof al - 1)];
	memcpy(suf + 11, ".part", 6);
	if (n > 200)
		n = 200;
	s = emalloc(n + 18);
	s[0] = '.';
	memcpy(s + 1, name, n);
	memcpy(s + 1 + n, suf, 17);
	return s;
}
