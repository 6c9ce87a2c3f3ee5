/* split.c: cutting long texts at sensible borders; see split.h. */
#include <stdlib.h>
#include <string.h>

#include "split.h"
#include "xalloc.h"

/* The length of the UTF-8 sequence that starts with byte c. */
static size_t
seqlen(unsigned char c)
{
	if (c >= 0xf0 && c < 0xf8)
		return 4;
	if (c >= 0xe0)
		return c < 0xf0 ? 3 : 1;
	if (c >= 0xc0)
		return 2;
	return 1;
}

/* The units of the character of n bytes that starts with c. */
static size_t
units(unsigned char c, size_t n, enum split_unit unit)
{
	if (unit == SPLIT_BYTES)
		return n;
	return n == 4 && c >= 0xf0 ? 2 : 1;	/* a surrogate pair */
}

/* The bytes of the character at s (at most left), cut short by a NUL. */
static size_t
charlen(const char *s, size_t left)
{
	size_t n = seqlen((unsigned char)*s), i;

	if (n > left)
		n = left;
	for (i = 1; i < n; i++)
		if (((unsigned char)s[i] & 0xc0) != 0x80)
			return i;	/* a broken sequence: cut there */
	return n;
}

size_t
split_length(const char *text, size_t len, enum split_unit unit)
{
	size_t i, n, total = 0;

	for (i = 0; i < len; i += n) {
		n = charlen(text + i, len - i);
		total += units((unsigned char)text[i], n, unit);
	}
	return total;
}

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/*
 * The bytes of text (len) that make its first part of at most max
 * units, before white space is trimmed.
 */
static size_t
first_part(const char *text, size_t len, size_t max, enum split_unit unit)
{
	size_t i = 0, n, used = 0, para = 0, sentence = 0, space = 0;
	unsigned char c;

	while (i < len) {
		c = (unsigned char)text[i];
		n = charlen(text + i, len - i);
		if (used + units(c, n, unit) > max)
			break;
		used += units(c, n, unit);
		if (c == '\n' && i + 1 < len && text[i + 1] == '\n')
			para = i;
		else if (c == '\n' || ((c == '.' || c == '!' || c == '?') &&
		    i + 1 < len && is_space(text[i + 1])))
			sentence = i + 1;
		else if (is_space((char)c))
			space = i;
		i += n;
	}
	if (i >= len)
		return len;
	if (para > 0)
		return para;
	if (sentence > 0)
		return sentence;
	if (space > 0)
		return space;
	return i > 0 ? i : charlen(text, len);	/* max below one character */
}

size_t
split_text(const char *text, size_t max, enum split_unit unit, char ***parts)
{
	size_t len = strlen(text), n = 0, cut, end;

	*parts = NULL;
	if (max == 0)
		max = 1;
	for (;;) {
		while (len > 0 && is_space(*text))
			text++, len--;
		if (len == 0)
			break;
		cut = first_part(text, len, max, unit);
		for (end = cut; end > 0 && is_space(text[end - 1]); end--)
			;
		*parts = xreallocarray(*parts, n + 1, sizeof(**parts));
		(*parts)[n++] = xstrndup(text, end);
		text += cut;
		len -= cut;
	}
	return n;
}

void
split_free(char **parts, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		free(parts[i]);
	free(parts);
}
