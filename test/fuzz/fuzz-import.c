/* fuzz-export: the export reader (JSON Lines and CSV) takes any bytes. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "import.h"
#include "jsonl.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static int
check(json_t *rec, const char *name, size_t line, void *arg)
{
	(void)name;
	(void)arg;
	if (!json_is_object(rec) || line == 0)
		abort();
	return 0;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int quiet;

	if (!quiet++)
		(void)freopen("/dev/null", "w", stderr);
	(void)import_parse("fuzz", (const char *)data, size, check, NULL);
	return 0;
}
