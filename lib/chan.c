/* chan.c: channel names and subscriber IDs; see chan.h. */
#include <ctype.h>
#include <string.h>

#include "chan.h"
#include "hb.h"

static const char *const names[CHAN_COUNT] = {
	[CHAN_TELEGRAM] = "telegram",
	[CHAN_WHATSAPP] = "whatsapp",
	[CHAN_MESSENGER] = "messenger",
	[CHAN_INSTAGRAM] = "instagram",
};

int
chan_lookup(const char *name, size_t len)
{
	int c;

	for (c = 0; c < CHAN_COUNT; c++)
		if (strlen(names[c]) == len && memcmp(names[c], name, len) == 0)
			return c;
	return -1;
}

const char *
chan_name(enum chan c)
{
	return (unsigned)c < CHAN_COUNT ? names[c] : "?";
}

/* How many of s's leading bytes are ASCII digits. */
static size_t
digits(const char *s)
{
	size_t n = 0;

	while (isdigit((unsigned char)s[n]))
		n++;
	return n;
}

/*
 * WhatsApp's business-scoped user ID: a country code, a dot and up to
 * 128 letters and digits ("DE.4711081547110815"; platforms.md §1.8).
 */
static int
is_bsuid(const char *s)
{
	size_t n;

	if (!isupper((unsigned char)s[0]) || !isupper((unsigned char)s[1]) ||
	    s[2] != '.')
		return 0;
	for (n = 3; isalnum((unsigned char)s[n]); n++)
		;
	return s[n] == '\0' && n > 3 && n - 3 <= 128;
}

int
chan_is_public(const char *id)
{
	const char *name;
	size_t len;

	if (strncmp(id, "telegram:@", 10) != 0)
		return 0;
	name = id + 10;
	len = strlen(name);
	/* Telegram's usernames: 5 to 32 of a-z, 0-9, _; a letter first. */
	return len >= 5 && len <= 32 && isalpha((unsigned char)name[0]) &&
	    strspn(name, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") == len;
}

int
chan_check_id(const char *id, enum chan *chanp, const char **why)
{
	const char *colon, *addr;
	size_t n;
	int c;

	if (strlen(id) > HB_ID_MAX) {
		*why = "too long";
		return -1;
	}
	if ((colon = strchr(id, ':')) == NULL) {
		*why = "not of the form channel:address";
		return -1;
	}
	if ((c = chan_lookup(id, colon - id)) < 0) {
		*why = "unknown channel (telegram, whatsapp, messenger, "
		    "instagram)";
		return -1;
	}
	addr = colon + 1;
	n = digits(addr);
	switch (c) {
	case CHAN_TELEGRAM:
		/* A private chat's id is the user's id: positive digits. */
		if ((n == 0 || n > 20 || addr[n] != '\0') &&
		    !chan_is_public(id)) {
			*why = "a Telegram address is a chat id, digits only "
			    "(or a public channel, @name)";
			return -1;
		}
		break;
	case CHAN_WHATSAPP:
		if (addr[0] == '+') {
			*why = "a WhatsApp phone number is digits without '+'";
			return -1;
		}
		/* E.164: at most 15 digits. */
		if (!(n >= 6 && n <= 15 && addr[n] == '\0') &&
		    !is_bsuid(addr)) {
			*why = "a WhatsApp address is a phone number (digits) "
			    "or a business-scoped user id (CC.xxxx)";
			return -1;
		}
		break;
	case CHAN_MESSENGER:
	case CHAN_INSTAGRAM:
		if (n == 0 || n > 32 || addr[n] != '\0') {
			*why = "a Messenger or Instagram address is a "
			    "page-scoped id, digits only";
			return -1;
		}
		break;
	}
	*chanp = c;
	return 0;
}
