/*
 * fuzz-ledger: any line as restore -l reads an exported ledger
 * (ledger_parse).  A line it takes prints back (ledger_format) as a
 * line it takes again, to the same entry.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ledger.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ledger_entry le, again;
	char *line, out[LEDGER_LINE_SIZE];

	line = strndup((const char *)data, size);
	if (ledger_parse(line, &le) == 0 && le.when >= 0 &&
	    le.when < 253402300800LL) {	/* years of four digits */
		ledger_format(&le, out);
		if (ledger_parse(out, &again) != 0 ||
		    memcmp(le.hash, again.hash, sizeof(le.hash)) != 0 ||
		    le.when != again.when)
			abort();
	}
	free(line);
	return 0;
}
