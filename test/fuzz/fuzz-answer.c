/*
 * fuzz-answer: whatever a platform answers to a send.  The first byte
 * picks the channel, the second the HTTP status (low three bits) and a
 * Retry-After header (the rest, 0 meaning none); the rest is the body.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "platform.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 401, 403, 404, 429, 500,
	    503 };
	struct platform_res r;

	if (size < 2)
		return 0;
	platform_result(data[0] % CHAN_COUNT, "telegram:1",
	    statuses[data[1] % 8], data[1] / 8, (const char *)data + 2,
	    size - 2, &r);
	if (r.outcome > PO_HALT || memchr(r.pid, '\0', sizeof(r.pid)) ==
	    NULL || memchr(r.why, '\0', sizeof(r.why)) == NULL ||
	    (r.outcome == PO_SENT && r.pid[0] == '\0'))
		abort();
	return 0;
}
