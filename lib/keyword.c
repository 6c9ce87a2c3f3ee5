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
	{ "neu", KEYWORD_NEWS },
	{ "neuigkeiten", KEYWORD_NEWS },
	{ "aktuell", KEYWORD_NEWS },
	{ "news", KEYWORD_NEWS },
	{ "/news", KEYWORD_NEWS },
	{ "themen", KEYWORD_TOPICS },
	{ "topics", KEYWORD_TOPICS },
	{ "/themen", KEYWORD_TOPICS },
	{ "/topics", KEYWORD_TOPICS },
};

/* The words that, followed by a topic, choose or leave it. */
static const struct {
	const char *word;
	enum keyword_intent intent;
} topic_words[] = {
	{ "start", KEYWORD_TOPIC_ON },
	{ "anmelden", KEYWORD_TOPIC_ON },
	{ "/start", KEYWORD_TOPIC_ON },
	{ "stopp", KEYWORD_TOPIC_OFF },
	{ "stop", KEYWORD_TOPIC_OFF },
	{ "abmelden", KEYWORD_TOPIC_OFF },
	{ "abbestellen", KEYWORD_TOPIC_OFF },
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
 * A Telegram command names the bot it is for ("/stop@CityBot"): the
 * name goes.  Only /start takes words (a deep link's payload).
 */
static void
strip_bot(char *s)
{
	size_t word = strcspn(s, "@ ");
	char *rest = s + word;

	if (s[0] == '/' && *rest == '@')
		memmove(rest, rest + strcspn(rest, " "),
		    strlen(rest + strcspn(rest, " ")) + 1);
}

/* The comma-separated list, folded, each compared with word: 1 if one is. */
static int
names_topic(const char *list, const char *word)
{
	char buf[FOLD_MAX], *one;
	const char *p = list;
	size_t n, len;
	int folded;

	while (*p != '\0') {
		len = strcspn(p, ",");
		if (len < FOLD_MAX && (folded = fold(p, len, buf)) >= 0) {
			n = (size_t)folded;
			one = trim(buf, &n);
			if (n > 0 && strcmp(one, word) == 0)
				return 1;
		}
		p += len + (p[len] == ',');
	}
	return 0;
}

/* The topic of conf that word (folded) names, or -1. */
static int
find_topic(const struct conf *conf, const char *word)
{
	size_t i;

	for (i = 0; conf != NULL && i < conf->ntopics; i++)
		if (names_topic(conf->topics[i].name, word) ||
		    names_topic(conf->topics[i].words, word))
			return (int)i;
	return -1;
}

enum keyword_intent
keyword_match(const char *text, size_t len, const struct conf *conf,
    int *topic)
{
	char buf[FOLD_MAX], *s, *arg;
	size_t i, n;
	int folded;

	*topic = -1;
	/* Cheap refusal of long messages before decoding them. */
	if (len >= 4 * FOLD_MAX)
		return KEYWORD_NONE;
	if ((folded = fold(text, len, buf)) < 0)
		return KEYWORD_NONE;
	n = folded;
	s = trim(buf, &n);
	strip_bot(s);
	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(s, words[i].word) == 0)
			return words[i].intent;
	/* A word and what follows it: a topic, a deep link, or nothing. */
	if ((arg = strchr(s, ' ')) == NULL)
		return KEYWORD_NONE;
	*arg++ = '\0';
	for (i = 0; i < sizeof(topic_words) / sizeof(topic_words[0]); i++)
		if (strcmp(s, topic_words[i].word) == 0) {
			if ((*topic = find_topic(conf, arg)) >= 0)
				return topic_words[i].intent;
			break;
		}
	return strcmp(s, "/start") == 0 ? KEYWORD_SUBSCRIBE : KEYWORD_NONE;
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
	case KEYWORD_NEWS:
		return "news";
	case KEYWORD_TOPICS:
		return "topics";
	case KEYWORD_TOPIC_ON:
		return "topic_on";
	case KEYWORD_TOPIC_OFF:
		return "topic_off";
	case KEYWORD_NONE:
		break;
	}
	return "none";
}
