/* keyword.c: keywords of citizens' messages; see keyword.h. */
#include <stdint.h>
#include <string.h>

#include "keyword.h"

/* Keywords as they look after fold(): lower case, umlauts spelt out. */
static const struct {
	const char *word;
	enum keyword_intent intent;
} words[] = {
	{ "start", KEYWORD_SUBSCRIBE },
	{ "anmelden", KEYWORD_SUBSCRIBE },
	{ "/start", KEYWORD_SUBSCRIBE },
	{ "stopp", KEYWORD_UNSUBSCRIBE },
	{ "stop", KEYWORD_UNSUBSCRIBE },
	{ "abmelden", KEYWORD_UNSUBSCRIBE },
	{ "abbestellen", KEYWORD_UNSUBSCRIBE },
	{ "ende", KEYWORD_UNSUBSCRIBE },
	{ "unsubscribe", KEYWORD_UNSUBSCRIBE },
	{ "/stop", KEYWORD_UNSUBSCRIBE },
	{ "alle daten loeschen", KEYWORD_ERASE },
	{ "daten loeschen", KEYWORD_ERASE },
	{ "delete all data", KEYWORD_ERASE },
	{ "delete my data", KEYWORD_ERASE },
	{ "/delete", KEYWORD_ERASE },
	{ "hilfe", KEYWORD_HELP },
	{ "help", KEYWORD_HELP },
	{ "info", KEYWORD_HELP },
	{ "/help", KEYWORD_HELP },
	{ "meine daten", KEYWORD_MYDATA },
	{ "my data", KEYWORD_MYDATA },
	{ "/mydata", KEYWORD_MYDATA },
};

/* A message longer than the longest keyword plus slack is never one. */
#define FOLD_MAX	128

/*
 * Decode one UTF-8 sequence at s (n bytes left).  Returns its length
 * and sets *cp, or 0 for an invalid, overlong or surrogate sequence.
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, uint32_t *cp)
{
	size_t len, i;
	uint32_t c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xc2 && s[0] <= 0xdf) {
		len = 2;
		c = s[0] & 0x1f;
	} else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		c = s[0] & 0x0f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (n < len)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		c = c << 6 | (s[i] & 0x3f);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && (c < 0x10000 ||
	    c > 0x10ffff)) || (c >= 0xd800 && c <= 0xdfff))
		return 0;
	*cp = c;
	return len;
}

static int
is_space(uint32_t c)
{
	return c == ' ' || (c >= '\t' && c <= '\r') || c == 0xa0 ||
	    c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028 ||
	    c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
}

/* Characters that carry nothing: zero-width spaces and joiners, BOM. */
static int
is_invisible(uint32_t c)
{
	return (c >= 0x200b && c <= 0x200d) || c == 0x2060 || c == 0xfeff;
}

/* Punctuation that may trail a keyword ("Stopp!", "Start...", "Hilfe?"). */
static int
is_trailing_punct(uint32_t c)
{
	return c == '.' || c == '!' || c == '?' || c == ',' || c == ';' ||
	    c == ':' || c == 0x2026 || c == 0xa1 || c == 0xbf;
}

/* Quotes around a word, as people copy it from the help text. */
static int
is_quote(uint32_t c)
{
	return c == '"' || c == '\'' || c == 0xab || c == 0xbb ||
	    (c >= 0x2018 && c <= 0x201f) || c == 0x2039 || c == 0x203a;
}

/*
 * Fold text into out: lower case, umlauts as ae/oe/ue, ß as ss, runs of
 * white space as one space, invisible characters dropped.  Returns the
 * folded length, or -1 for invalid UTF-8 or a message too long to be a
 * keyword.  Quotes and punctuation are kept here and trimmed later.
 */
static int
fold(const char *text, size_t len, char *out)
{
	const unsigned char *s = (const unsigned char *)text;
	size_t i = 0, o = 0, n;
	const char *rep;
	uint32_t c;
	char last = 0;

	while (i < len) {
		if ((n = utf8_decode(s + i, len - i, &c)) == 0)
			return -1;
		i += n;
		rep = NULL;
		if (is_invisible(c))
			continue;
		if (!is_space(c) && (c < 0x20 || c == 0x7f))
			return -1;	/* a control character: no keyword */
		if (is_space(c)) {
			if (o > 0 && last != ' ')
				rep = " ";
			else
				continue;
		} else if (c >= 'A' && c <= 'Z') {
			out[o] = c - 'A' + 'a';
			n = 1;
		} else if (c == 0xe4 || c == 0xc4)
			rep = "ae";
		else if (c == 0xf6 || c == 0xd6)
			rep = "oe";
		else if (c == 0xfc || c == 0xdc)
			rep = "ue";
		else if (c == 0xdf || c == 0x1e9e)
			rep = "ss";
		else if (c == 0x308 && (last == 'a' || last == 'o' ||
		    last == 'u'))
			rep = "e";	/* a decomposed umlaut: o + U+0308 */
		else if (c < 0x80) {
			out[o] = c;
			n = 1;
		} else
			memcpy(out + o, s + i - n, n);
		if (rep != NULL) {
			n = strlen(rep);
			memcpy(out + o, rep, n);
		}
		o += n;
		last = out[o - 1];
		if (o > FOLD_MAX - 4)
			return -1;
	}
	out[o] = '\0';
	return o;
}

/* Remove trailing spaces, punctuation and quotes, and leading quotes. */
static char *
trim(char *s, size_t *lenp)
{
	size_t len = *lenp, n;
	uint32_t c;
	int cut;

	do {
		cut = 0;
		while (len > 0 && s[len - 1] == ' ')
			len--, cut = 1;
		/* Step back to the start of the last character. */
		for (n = 1; n < len && n < 4 &&
		    ((unsigned char)s[len - n] & 0xc0) == 0x80; n++)
			;
		if (len > 0 && utf8_decode((unsigned char *)s + len - n, n,
		    &c) == n && (is_trailing_punct(c) || is_quote(c)))
			len -= n, cut = 1;
	} while (cut);
	for (;;) {
		if (len > 0 && *s == ' ') {
			s++, len--;
			continue;
		}
		if (len > 0 && (n = utf8_decode((unsigned char *)s, len,
		    &c)) > 0 && is_quote(c)) {
			s += n, len -= n;
			continue;
		}
		break;
	}
	s[len] = '\0';
	*lenp = len;
	return s;
}

/*
 * A Telegram command: "/start PAYLOAD" keeps only "/start" (a deep link
 * subscribes too), "/stop@CityBot" only "/stop".  Other commands take
 * no arguments.
 */
static void
strip_command(char *s)
{
	size_t word;
	const char *rest;

	if (s[0] != '/')
		return;
	word = strcspn(s, "@ ");
	rest = s + word;
	if (*rest == '@')
		rest += strcspn(rest, " ");
	if (*rest == '\0' || (word == 6 && strncmp(s, "/start", 6) == 0))
		s[word] = '\0';
}

enum keyword_intent
keyword_match(const char *text, size_t len)
{
	char buf[FOLD_MAX], *s;
	size_t i, n;
	int folded;

	/* Cheap refusal of long messages before decoding them. */
	if (len >= 4 * FOLD_MAX)
		return KEYWORD_NONE;
	if ((folded = fold(text, len, buf)) < 0)
		return KEYWORD_NONE;
	n = folded;
	s = trim(buf, &n);
	strip_command(s);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i].word) == 0)
			return words[i].intent;
	return KEYWORD_NONE;
}

const char *
keyword_intent_name(enum keyword_intent k)
{
	switch (k) {
	case KEYWORD_SUBSCRIBE:
		return "subscribe";
	case KEYWORD_UNSUBSCRIBE:
		return "unsubscribe";
	case KEYWORD_ERASE:
		return "erase";
	case KEYWORD_HELP:
		return "help";
	case KEYWORD_MYDATA:
		return "mydata";
	case KEYWORD_NONE:
		break;
	}
	return "none";
}
