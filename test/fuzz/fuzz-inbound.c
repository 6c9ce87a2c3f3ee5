/*
 * fuzz-inbound: a libFuzzer target for one platform's parser, chosen by
 * FUZZ_CHAN at compile time (make fuzz builds one per platform).
 *
 * Whatever the input, the parser must not crash, and every event it
 * returns must name a valid subscriber ID.
 */
#include <stdint.h>
#include <stdlib.h>

#include "chan.h"
#include "inbound.h"

int	LLVMFuzzerTestOneInput(const uint8_t *, size_t);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct in_events evs = { NULL, 0 };
	const char *why;
	char err[256];
	enum chan c;
	size_t i;

	if (inbound_parse(FUZZ_CHAN, (const char *)data, size, &evs, err,
	    sizeof(err)) == 0)
		for (i = 0; i < evs.n; i++)
			if (evs.v[i].id == NULL || evs.v[i].pid == NULL ||
			    chan_check_id(evs.v[i].id, &c, &why) == -1 ||
			    c != FUZZ_CHAN)
				abort();
	in_events_release(&evs);
	return 0;
}
