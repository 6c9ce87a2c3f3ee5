/*
 * be64.h: 64-bit numbers as 8 big-endian bytes, so that keys made of
 * them sort in numeric order (broadcasts, messages, due times).
 */
#ifndef BE64_H
#define BE64_H

#include <stdint.h>

static inline void
be64_put(uint64_t v, unsigned char b[8])
{
	int i;

	for (i = 7; i >= 0; i--, v >>= 8)
		b[i] = v & 0xff;
}

static inline uint64_t
be64_get(const unsigned char b[8])
{
	uint64_t v = 0;
	int i;

	for (i = 0; i < 8; i++)
		v = v << 8 | b[i];
	return v;
}

#endif /* BE64_H */
