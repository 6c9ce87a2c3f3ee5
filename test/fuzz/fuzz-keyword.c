/* fuzz-keyword: the keyword matcher takes any bytes. */
#include <stdint.h>
#include <stdlib.h>

#include "keyword.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (keyword_match((const char *)data, size) > KEYWORD_MYDATA)
		abort();
	return 0;
}
