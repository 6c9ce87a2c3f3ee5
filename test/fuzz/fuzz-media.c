/*
 * fuzz-media: a file hb is asked to send, as its first bytes tell its
 * type, and what an upload API answers: the first byte picks the
 * channel, the second the HTTP status; the rest is the body (and the
 * whole input the file's head).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "media.h"
#include "platform.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 400, 401, 403, 413, 429, 500,
	    503 };
	const char *mime = NULL;
	struct platform_res r;
	enum media_type t;

	t = media_sniff(data, size, &mime);
	if ((t == MEDIA_NONE) != (mime == NULL))
		abort();
	if (size < 2)
		return 0;
	platform_upload_result(data[0] % CHAN_COUNT, statuses[data[1] % 8],
	    data[1] / 8, (const char *)data + 2, size - 2, &r);
	if (r.outcome > PO_WITHDRAWN || memchr(r.ref, '\0', sizeof(r.ref)) ==
	    NULL || memchr(r.why, '\0', sizeof(r.why)) == NULL ||
	    (r.outcome == PO_SENT && r.ref[0] == '\0') || r.stale_ref)
		abort();
	return 0;
}
