/* sme: the smart-me inventory (devices, folders) and virtual tariffs as records; licence in COPYING */
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "sme.h"

void
sme_fetch_list(struct sme_fetch *f, int folders, char **spec, int nspec)
{
	(void)f; (void)folders; (void)spec; (void)nspec;
	sme_die(SME_EX_USAGE, "-L: not yet");
}

void
sme_fetch_tariffs(struct sme_fetch *f, char **spec, int nspec)
{
	(void)f; (void)spec; (void)nspec;
	sme_die(SME_EX_USAGE, "-v: not yet");
}
