/*
 * fuzz-split: any text cut at any limit.  The first byte picks the
 * limit and the unit; the rest is the text.  Every part fits (unless the
 * limit is below one character), none is empty or starts or ends with
 * white space, and no byte other than white space is lost.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "split.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

static size_t
solid(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		n += strchr(" \t\r\n", *s) == NULL;
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	enum split_unit unit;
	char *text, **parts;
	size_t max, n, i, len, total = 0;

	if (size < 1)
		return 0;
	max = (data[0] & 0x7f) + 1;
	unit = data[0] & 0x80 ? SPLIT_BYTES : SPLIT_CHARS;
	text = strndup((const char *)data + 1, size - 1);
	n = split_text(text, max, unit, &parts);
	for (i = 0; i < n; i++) {
		len = strlen(parts[i]);
		if (len == 0 || strchr(" \t\r\n", parts[i][0]) != NULL ||
		    strchr(" \t\r\n", parts[i][len - 1]) != NULL ||
		    (split_length(parts[i], len, unit) > max && len > 4))
			abort();
		total += solid(parts[i]);
	}
	if (total != solid(text))
		abort();
	split_free(parts, n);
	free(text);
	return 0;
}
