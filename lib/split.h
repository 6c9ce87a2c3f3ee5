/*
 * split.h: cutting an announcement into the parts a platform accepts.
 *
 * Each platform has a longest text (platforms.md): Telegram and WhatsApp
 * 4096 characters, Messenger 2000, Instagram 1000 bytes.  A longer text
 * goes out as several messages, cut at the last paragraph border that
 * fits, else the last sentence end or line break, else the last space,
 * and only as a last resort between two characters: never inside a
 * UTF-8 sequence.  Characters are counted as UTF-16 code units, as
 * Telegram counts them, which is never less than the others' count.
 */
#ifndef SPLIT_H
#define SPLIT_H

#include <stddef.h>

enum split_unit {
	SPLIT_CHARS,		/* UTF-16 code units */
	SPLIT_BYTES
};

/* How many units text (len bytes) takes. */
size_t	 split_length(const char *text, size_t len, enum split_unit);
/*
 * Cut text into parts of at most max units each, without the white
 * space at the cuts.  Returns the number of parts (0 for a text of only
 * white space) and a malloc'd array of malloc'd strings in *parts.
 */
size_t	 split_text(const char *text, size_t max, enum split_unit,
	    char ***parts);
void	 split_free(char **parts, size_t n);

#endif /* SPLIT_H */
