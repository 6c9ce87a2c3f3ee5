/* sig.c: webhook signatures; see sig.h. */
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>

#include "sig.h"

static int
unhex(const char *s, unsigned char *out, size_t n)
{
	size_t i;
	int hi, lo;

	for (i = 0; i < n; i++) {
		hi = OPENSSL_hexchar2int(s[2 * i]);
		lo = OPENSSL_hexchar2int(s[2 * i + 1]);
		if (hi < 0 || lo < 0)
			return -1;
		out[i] = hi << 4 | lo;
	}
	return s[2 * n] == '\0' ? 0 : -1;
}

int
sig_meta_ok(const struct secret *secret, const char *header,
    const char *body, size_t len)
{
	unsigned char want[32], got[32];
	unsigned int glen = sizeof(got);

	if (secret->value == NULL || header == NULL ||
	    strncmp(header, "sha256=", 7) != 0 ||
	    strlen(header + 7) != 2 * sizeof(want) ||
	    unhex(header + 7, want, sizeof(want)) == -1)
		return 0;
	if (HMAC(EVP_sha256(), secret->value, secret->len,
	    (const unsigned char *)body, len, got, &glen) == NULL ||
	    glen != sizeof(got))
		return 0;
	return CRYPTO_memcmp(want, got, sizeof(got)) == 0;
}

int
sig_equal(const char *a, size_t alen, const char *b, size_t blen)
{
	/* The length of a secret is no secret worth a timing channel. */
	return alen == blen && CRYPTO_memcmp(a, b, alen) == 0;
}
