/*
 * conf.c: hb.conf(5); see conf.h.  One concern that reads straight
 * through: the key tables, their setters, the loader, the printer.
 *
 * Two tables describe every key: hb_keys for [hb], chan_keys for the
 * channel sections.  The same setter parses a configured value and a
 * default, and conf_print() prints what the setters stored, so the
 * documentation in hb.conf(5) has one place to agree with.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "conf.h"
#include "hb.h"
#include "log.h"
#include "texts.h"
#include "xalloc.h"

enum key_type {
	K_STRING,	/* any text without control characters */
	K_NUMBER,	/* decimal, within [min, max] */
	K_SECRET,	/* a file whose content is a secret */
	K_TOKEN,	/* the same, read only with CONF_TOKENS */
	K_TIMEZONE,	/* a zone of the tz database */
	K_GROUP,	/* a group name */
	K_QUIET,	/* HH:MM-HH:MM, or empty */
	K_LANGUAGE,	/* two or three lower-case letters */
	K_URL,		/* http:// or https:// */
	K_BOOL,		/* yes or no */
	K_PRICE,	/* a decimal amount, 0 or more */
	K_IDS,		/* subscriber IDs, separated by commas */
	K_CHANNEL	/* a public Telegram channel, @name */
};

struct key {
	const char *name;
	enum key_type type;
	size_t	 off;		/* of the typed field, in struct conf or chan_conf */
	long long min, max;	/* K_NUMBER */
	const char *def[CHAN_COUNT]; /* default text; [0] for [hb] keys */
	unsigned accepted;	/* channel keys: which channels take it */
	unsigned required;	/* channel keys: which channels need it */
};

#define TG	(1u << CHAN_TELEGRAM)
#define WA	(1u << CHAN_WHATSAPP)
#define MS	(1u << CHAN_MESSENGER)
#define IG	(1u << CHAN_INSTAGRAM)
#define META	(WA | MS | IG)
#define ALL	(TG | META)

#define HB(f)	offsetof(struct conf, f)
#define CH(f)	offsetof(struct chan_conf, f)

static const struct key hb_keys[] = {
	{ "home", K_STRING, HB(home), 0, 0, { "/var/lib/hb" }, 0, 0 },
	{ "group", K_GROUP, 0, 0, 0, { "" }, 0, 0 },
	{ "timezone", K_TIMEZONE, HB(timezone), 0, 0, { "Europe/Berlin" },
	    0, 0 },
	{ "daily_limit", K_NUMBER, HB(daily_limit), 0, 1000, { "1" }, 0, 0 },
	{ "quiet_hours", K_QUIET, 0, 0, 0, { "" }, 0, 0 },
	{ "language", K_LANGUAGE, HB(language), 0, 0, { "de" }, 0, 0 },
	{ "hooks", K_STRING, HB(hooks), 0, 0, { "/etc/hb/hooks" }, 0, 0 },
	{ "ca_file", K_STRING, HB(ca_file), 0, 0, { "" }, 0, 0 },
	{ "hook_timeout", K_NUMBER, HB(hook_timeout), 1, 3600, { "30" },
	    0, 0 },
	{ "max_body", K_NUMBER, HB(max_body), 1024, 1 << 30, { "4194304" },
	    0, 0 },
	{ "lock_wait", K_NUMBER, HB(lock_wait), 1, 600, { "10" }, 0, 0 },
	{ "watchdog", K_NUMBER, HB(watchdog), 1, 3600, { "60" }, 0, 0 },
	{ "retain_messages", K_NUMBER, HB(retain_messages), 0, 36500,
	    { "180" }, 0, 0 },
	{ "retain_receipts", K_NUMBER, HB(retain_receipts), 0, 36500,
	    { "30" }, 0, 0 },
	{ "retain_stopped", K_NUMBER, HB(retain_stopped), 0, 36500,
	    { "30" }, 0, 0 },
	{ "catch_up", K_NUMBER, HB(catch_up), 0, 365, { "7" }, 0, 0 },
	{ "testers", K_IDS, HB(testers), 0, 0, { "" }, 0, 0 },
	{ "approval", K_BOOL, HB(approval), 0, 0, { "no" }, 0, 0 },
};

static const struct key chan_keys[] = {
	{ "api", K_URL, CH(api), 0, 0, {
	    [CHAN_TELEGRAM] = "https://api.telegram.org",
	    [CHAN_WHATSAPP] = "https://graph.facebook.com/v21.0",
	    [CHAN_MESSENGER] = "https://graph.facebook.com/v21.0",
	    [CHAN_INSTAGRAM] = "https://graph.instagram.com/v21.0" },
	    ALL, 0 },
	{ "token_file", K_TOKEN, CH(token), 0, 0, { 0 }, ALL, ALL },
	{ "secret_file", K_SECRET, CH(secret), 0, 0, { 0 }, TG, 0 },
	{ "app_secret_file", K_SECRET, CH(app_secret), 0, 0, { 0 }, META,
	    META },
	{ "verify_token_file", K_SECRET, CH(verify_token), 0, 0, { 0 },
	    META, META },
	{ "phone_number_id", K_STRING, CH(account), 0, 0, { 0 }, WA, WA },
	{ "page_id", K_STRING, CH(account), 0, 0, { 0 }, MS, MS },
	{ "account_id", K_STRING, CH(account), 0, 0, { 0 }, IG, IG },
	{ "template", K_STRING, CH(template), 0, 0, { 0 }, WA, 0 },
	{ "channel", K_CHANNEL, CH(channel), 0, 0, { 0 }, TG, 0 },
	{ "template_media", K_STRING, CH(template_media), 0, 0, { 0 }, WA,
	    0 },
	{ "media_url", K_URL, CH(media_url), 0, 0, { 0 }, IG, 0 },
	{ "media_dir", K_STRING, CH(media_dir), 0, 0, { 0 }, IG, 0 },
	{ "waba_id", K_STRING, CH(waba_id), 0, 0, { 0 }, WA, 0 },
	{ "template_price", K_PRICE, CH(template_price), 0, 0, { 0 }, WA, 0 },
	{ "template_language", K_LANGUAGE, CH(template_language), 0, 0,
	    { [CHAN_WHATSAPP] = "de" }, WA, 0 },
	{ "get_started", K_STRING, CH(get_started), 0, 0, {
	    [CHAN_MESSENGER] = "GET_STARTED",
	    [CHAN_INSTAGRAM] = "GET_STARTED" }, MS | IG, 0 },
	{ "rate", K_NUMBER, CH(rate), 0, 100000, {
	    [CHAN_TELEGRAM] = "25", [CHAN_WHATSAPP] = "80",
	    [CHAN_MESSENGER] = "100", [CHAN_INSTAGRAM] = "100" }, ALL, 0 },
};

#define NHB	(sizeof(hb_keys) / sizeof(hb_keys[0]))
#define NCHAN	(sizeof(chan_keys) / sizeof(chan_keys[0]))

/* Each key has its raw text: a compile-time check that there is room. */
typedef char hb_keys_fit[NHB <= CONF_KEYS_MAX ? 1 : -1];
typedef char chan_keys_fit[NCHAN <= CONF_KEYS_MAX ? 1 : -1];

struct conf_text {
	char	 lang[4];
	enum text_id id;
	char	*value;
};

/* What the ini handler needs to know between calls. */
struct parse {
	struct conf *conf;
	char	 err[256];	/* the first error, reported with its line */
	unsigned char seen_hb[NHB];
	unsigned char seen_chan[CHAN_COUNT][NCHAN];
};

/* Keep the first error for conf_load() to report with its line. */
static int __attribute__((format(printf, 2, 3)))
fail(struct parse *p, const char *fmt, ...)
{
	va_list ap;

	if (p->err[0] == '\0') {
		va_start(ap, fmt);
		(void)vsnprintf(p->err, sizeof(p->err), fmt, ap);
		va_end(ap);
	}
	return 0;
}

/*
 * Read a secret: the file must exist, be a regular file, and be
 * readable by nobody but its owner and group.  One final newline is not
 * part of the secret.
 */
static int
read_secret(struct secret *s, const char *path, char *err, size_t errsz)
{
	char buf[4097];
	struct stat sb;
	ssize_t n;
	int fd;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		(void)snprintf(err, errsz, "secret file '%s': %s", path,
		    strerror(errno));
		return -1;
	}
	if (fstat(fd, &sb) == -1 || !S_ISREG(sb.st_mode)) {
		(void)snprintf(err, errsz, "secret file '%s' is not a "
		    "regular file", path);
		goto fail;
	}
	if (sb.st_mode & (S_IROTH | S_IWOTH)) {
		(void)snprintf(err, errsz, "secret file '%s' is readable or "
		    "writable by others (chmod o-rw)", path);
		goto fail;
	}
	if ((n = read(fd, buf, sizeof(buf))) == -1) {
		(void)snprintf(err, errsz, "secret file '%s': %s", path,
		    strerror(errno));
		goto fail;
	}
	if (n == sizeof(buf)) {
		(void)snprintf(err, errsz, "secret file '%s' is longer than "
		    "4096 bytes", path);
		goto fail;
	}
	if (n > 0 && buf[n - 1] == '\n')
		n--;
	if (n == 0 || memchr(buf, '\n', n) != NULL ||
	    memchr(buf, '\0', n) != NULL) {
		(void)snprintf(err, errsz, "secret file '%s' must hold one "
		    "non-empty line", path);
		goto fail;
	}
	close(fd);
	s->value = xmalloc(n + 1);
	memcpy(s->value, buf, n);
	s->value[n] = '\0';
	s->len = n;
	explicit_bzero(buf, sizeof(buf));
	return 0;
fail:
	explicit_bzero(buf, sizeof(buf));
	close(fd);
	return -1;
}

static int
parse_hhmm(const char *s, int *minutes)
{
	if (!isdigit((unsigned char)s[0]) || !isdigit((unsigned char)s[1]) ||
	    s[2] != ':' || !isdigit((unsigned char)s[3]) ||
	    !isdigit((unsigned char)s[4]))
		return -1;
	*minutes = ((s[0] - '0') * 10 + s[1] - '0') * 60 +
	    (s[3] - '0') * 10 + s[4] - '0';
	return (s[0] - '0') * 10 + s[1] - '0' < 24 &&
	    (s[3] - '0') * 10 + s[4] - '0' < 60 ? 0 : -1;
}

/* Does the tz database know zone? */
static int
known_timezone(const char *zone)
{
	const char *dir = getenv("TZDIR");
	char path[PATH_MAX];
	struct stat sb;

	if (strcmp(zone, "UTC") == 0)
		return 1;
	if (zone[0] == '/' || strstr(zone, "..") != NULL)
		return 0;
	if (dir == NULL || *dir == '\0')
		dir = "/usr/share/zoneinfo";
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir, zone) >=
	    sizeof(path))
		return 0;
	return stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
}

/* A price: digits, perhaps a point and more digits; 0 or -1. */
static int
parse_price(const char *value, double *price)
{
	size_t int_part = strspn(value, "0123456789"), frac = 0;

	if (value[int_part] == '.')
		frac = strspn(value + int_part + 1, "0123456789") + 1;
	if (int_part + frac == 0 || value[int_part + frac] != '\0' ||
	    int_part + frac > 20)
		return -1;
	*price = strtod(value, NULL);
	return 0;
}

/* A list of subscriber IDs: each one valid.  0, or -1 with err. */
static int
check_ids(const char *value, char *err, size_t errsz)
{
	char id[HB_ID_MAX + 1];
	const char *p = value, *why;
	enum chan c;
	size_t len;

	while (*p != '\0') {
		p += strspn(p, " ,");
		if ((len = strcspn(p, " ,")) == 0)
			break;
		if (len > HB_ID_MAX) {
			(void)snprintf(err, errsz, "an ID in testers is too "
			    "long");
			return -1;
		}
		memcpy(id, p, len);
		id[len] = '\0';
		if (chan_check_id(id, &c, &why) == -1) {
			(void)snprintf(err, errsz, "testers: '%s': %s", id,
			    why);
			return -1;
		}
		p += len;
	}
	return 0;
}

int
conf_testers(const struct conf *conf, char ***ids, size_t *n)
{
	const char *p = conf->testers != NULL ? conf->testers : "";
	size_t len;

	*ids = NULL;
	*n = 0;
	while (*p != '\0') {
		p += strspn(p, " ,");
		if ((len = strcspn(p, " ,")) == 0)
			break;
		*ids = xreallocarray(*ids, *n + 1, sizeof(**ids));
		(*ids)[(*n)++] = xstrndup(p, len);
		p += len;
	}
	return 0;
}

/*
 * Parse value for key k into base (a struct conf or a struct chan_conf).
 * 0, or -1 with a reason in err.
 */
static int
set_value(struct conf *conf, void *base, const struct key *k,
    const char *value, char *err, size_t errsz)
{
	const char *errstr;
	long long n;
	struct group *gr;
	const char *s;
	char *id;

	for (s = value; *s != '\0'; s++)
		if (iscntrl((unsigned char)*s)) {
			(void)snprintf(err, errsz, "'%s' has a control "
			    "character", k->name);
			return -1;
		}
	switch (k->type) {
	case K_STRING:
		*(const char **)((char *)base + k->off) = value;
		break;
	case K_NUMBER:
		n = strtonum(value, k->min, k->max, &errstr);
		if (errstr != NULL) {
			(void)snprintf(err, errsz, "'%s' is %s (%lld to %lld)",
			    k->name, errstr, k->min, k->max);
			return -1;
		}
		*(long long *)((char *)base + k->off) = n;
		break;
	case K_TOKEN:
		/* The web-facing process must not even be able to. */
		if (!conf->read_tokens)
			break;
		/* FALLTHROUGH */
	case K_SECRET:
		if (value[0] == '\0')
			break;
		if (read_secret((struct secret *)((char *)base + k->off),
		    value, err, errsz) == -1)
			return -1;
		break;
	case K_TIMEZONE:
		if (!known_timezone(value)) {
			(void)snprintf(err, errsz, "unknown timezone '%s'",
			    value);
			return -1;
		}
		*(const char **)((char *)base + k->off) = value;
		break;
	case K_GROUP:
		conf->has_group = 0;
		if (value[0] == '\0')
			break;
		if ((gr = getgrnam(value)) == NULL) {
			(void)snprintf(err, errsz, "unknown group '%s'", value);
			return -1;
		}
		conf->has_group = 1;
		conf->gid = gr->gr_gid;
		break;
	case K_QUIET:
		conf->quiet_start = conf->quiet_end = -1;
		if (value[0] == '\0')
			break;
		if (strlen(value) != 11 || value[5] != '-' ||
		    parse_hhmm(value, &conf->quiet_start) == -1 ||
		    parse_hhmm(value + 6, &conf->quiet_end) == -1) {
			(void)snprintf(err, errsz, "'%s' wants HH:MM-HH:MM",
			    k->name);
			return -1;
		}
		break;
	case K_LANGUAGE:
		if (strspn(value, "abcdefghijklmnopqrstuvwxyz") !=
		    strlen(value) || strlen(value) < 2 || strlen(value) > 3) {
			(void)snprintf(err, errsz, "'%s' wants a language code "
			    "such as de or en", k->name);
			return -1;
		}
		*(const char **)((char *)base + k->off) = value;
		break;
	case K_BOOL:
		if (strcmp(value, "yes") != 0 && strcmp(value, "no") != 0) {
			(void)snprintf(err, errsz, "'%s' wants yes or no",
			    k->name);
			return -1;
		}
		*(int *)((char *)base + k->off) = strcmp(value, "yes") == 0;
		break;
	case K_PRICE:
		if (parse_price(value, (double *)((char *)base + k->off)) ==
		    -1) {
			(void)snprintf(err, errsz, "'%s' wants an amount such "
			    "as 0.0613", k->name);
			return -1;
		}
		break;
	case K_IDS:
		if (check_ids(value, err, errsz) == -1)
			return -1;
		*(const char **)((char *)base + k->off) = value;
		break;
	case K_CHANNEL:
		if (value[0] == '\0')
			break;
		xasprintf(&id, "telegram:%s", value);
		if (!chan_is_public(id)) {
			free(id);
			(void)snprintf(err, errsz, "'%s' wants a public "
			    "channel's name, @ and 5 to 32 letters, digits "
			    "and _", k->name);
			return -1;
		}
		free(conf->channel_id);
		*(const char **)((char *)base + k->off) = conf->channel_id =
		    id;
		break;
	case K_URL:
		if (strncmp(value, "https://", 8) != 0 &&
		    strncmp(value, "http://", 7) != 0) {
			(void)snprintf(err, errsz, "'%s' wants an http:// or "
			    "https:// URL", k->name);
			return -1;
		}
		*(const char **)((char *)base + k->off) = value;
		break;
	}
	return 0;
}

static const struct key *
find_key(const struct key *keys, size_t nkeys, const char *name, size_t *i)
{
	for (*i = 0; *i < nkeys; (*i)++)
		if (strcmp(keys[*i].name, name) == 0)
			return &keys[*i];
	return NULL;
}

/*
 * A text's value writes a line break as \n and a backslash as \\, so
 * that every key stays on one line of the file.
 */
static char *
unescape(const char *v)
{
	char *out = xmalloc(strlen(v) + 1), *o = out;

	for (; *v != '\0'; v++) {
		if (v[0] == '\\' && v[1] == 'n')
			*o++ = '\n', v++;
		else if (v[0] == '\\' && v[1] == '\\')
			*o++ = '\\', v++;
		else
			*o++ = *v;
	}
	*o = '\0';
	return out;
}

/* A line of [texts.LANG]. */
static int
on_text(struct parse *p, const char *lang, const char *name,
    const char *value)
{
	struct conf *conf = p->conf;
	struct conf_text *t;
	json_t *probe;
	size_t i;
	int id;

	/* A text goes out in JSON: Jansson, and the platforms, take UTF-8. */
	if ((probe = json_string(value)) == NULL)
		return fail(p, "text '%s' is not valid UTF-8 (write hb.conf "
		    "in UTF-8)", name);
	json_decref(probe);
	for (id = 0; id < TEXT_COUNT; id++)
		if (strcmp(texts_name(id), name) == 0)
			break;
	if (id == TEXT_COUNT)
		return fail(p, "unknown text '%s' (welcome, goodbye, erased, "
		    "help, mydata, topics, topic_on, topic_off, news, no_news, catch_up)", name);
	for (i = 0; i < conf->ntexts; i++)
		if (strcmp(conf->texts[i].lang, lang) == 0 &&
		    conf->texts[i].id == (enum text_id)id)
			return fail(p, "duplicate text '%s'", name);
	conf->texts = xreallocarray(conf->texts, conf->ntexts + 1,
	    sizeof(*conf->texts));
	t = &conf->texts[conf->ntexts++];
	(void)strlcpy(t->lang, lang, sizeof(t->lang));
	t->id = id;
	t->value = unescape(value);
	return 1;
}

/* A line of [topics]: name = its words. */
static int
on_topic(struct parse *p, const char *name, const char *value)
{
	struct conf *conf = p->conf;
	json_t *probe;

	if (strspn(name, "abcdefghijklmnopqrstuvwxyz0123456789_-") !=
	    strlen(name) || strlen(name) > 32)
		return fail(p, "topic '%s': a name is up to 32 of a-z, 0-9, "
		    "_ and -", name);
	if (conf_topic(conf, name) >= 0)
		return fail(p, "duplicate topic '%s'", name);
	if (conf->ntopics == CONF_TOPICS_MAX)
		return fail(p, "more than %d topics", CONF_TOPICS_MAX);
	if ((probe = json_string(value)) == NULL)
		return fail(p, "topic '%s' is not valid UTF-8", name);
	json_decref(probe);
	conf->topics = xreallocarray(conf->topics, conf->ntopics + 1,
	    sizeof(*conf->topics));
	conf->topics[conf->ntopics].name = xstrdup(name);
	conf->topics[conf->ntopics++].words = xstrdup(value);
	return 1;
}

int
conf_topic(const struct conf *conf, const char *name)
{
	size_t i;

	for (i = 0; i < conf->ntopics; i++)
		if (strcmp(conf->topics[i].name, name) == 0)
			return (int)i;
	return -1;
}

static int
on_key(void *user, const char *section, const char *name, const char *value)
{
	struct parse *p = user;
	struct conf *conf = p->conf;
	char err[256];
	const struct key *k;
	unsigned char *seen;
	char **raw;
	void *base;
	size_t i;
	int c;

	if (strncmp(section, "texts.", 6) == 0) {
		const char *lang = section + 6;

		if (strspn(lang, "abcdefghijklmnopqrstuvwxyz") !=
		    strlen(lang) || strlen(lang) < 2 || strlen(lang) > 3)
			return fail(p, "section [%s]: the language must be "
			    "two or three lower-case letters", section);
		return on_text(p, lang, name, value);
	}
	if (strcmp(section, "topics") == 0)
		return on_topic(p, name, value);
	if (strcmp(section, "hb") == 0) {
		if ((k = find_key(hb_keys, NHB, name, &i)) == NULL)
			return fail(p, "unknown key '%s' in [hb]", name);
		base = conf;
		raw = &conf->raw[i];
		seen = &p->seen_hb[i];
	} else if ((c = chan_lookup(section, strlen(section))) >= 0) {
		k = find_key(chan_keys, NCHAN, name, &i);
		if (k == NULL || !(k->accepted & (1u << c))) {
			(void)snprintf(err, sizeof(err), "unknown key '%s' in "
			    "[%s]", name, section);
			return fail(p, "%s", err);
		}
		base = &conf->chan[c];
		raw = &conf->chan[c].raw[i];
		seen = &p->seen_chan[c][i];
	} else if (section[0] == '\0')
		return fail(p, "key '%s' before any [section]", name);
	else
		return fail(p, "unknown section [%s]", section);

	if (*seen)
		return fail(p, "duplicate key '%s'", name);
	*seen = 1;
	free(*raw);
	*raw = xstrdup(value);
	if (set_value(conf, base, k, *raw, err, sizeof(err)) == -1)
		return fail(p, "%s", err);
	return 1;
}

/*
 * inih calls back for keys only, so a channel's section is found by a
 * line-oriented look at the file: "[telegram]" turns the channel on even
 * when every key in it is left at its default.
 */
static void
find_sections(FILE *fp, struct conf *conf)
{
	char line[512], *s, *e;
	int c;

	while (fgets(line, sizeof(line), fp) != NULL) {
		for (s = line; isspace((unsigned char)*s); s++)
			;
		if (*s != '[' || (e = strchr(s, ']')) == NULL)
			continue;
		if ((c = chan_lookup(s + 1, e - s - 1)) >= 0)
			conf->chan[c].enabled = 1;
	}
	rewind(fp);
}

static void
set_defaults(struct conf *conf, const struct key *keys, size_t n,
    void *base, char **raw, int chan)
{
	char err[256];
	size_t i;

	for (i = 0; i < n; i++) {
		if (raw[i] != NULL || keys[i].def[chan] == NULL)
			continue;
		raw[i] = xstrdup(keys[i].def[chan]);
		if (set_value(conf, base, &keys[i], raw[i], err,
		    sizeof(err)) == -1)
			log_errorx("built-in default: %s", err);
	}
}

void
conf_init(struct conf *conf)
{
	memset(conf, 0, sizeof(*conf));
	conf->quiet_start = conf->quiet_end = -1;
	set_defaults(conf, hb_keys, NHB, conf, conf->raw, 0);
}

int
conf_load(struct conf *conf, const char *path, unsigned flags)
{
	struct parse p;
	struct chan_conf *cc;
	FILE *fp;
	size_t i;
	int c, line;

	conf_release(conf);
	memset(conf, 0, sizeof(*conf));
	conf->quiet_start = conf->quiet_end = -1;
	conf->path = xstrdup(path);
	conf->read_tokens = (flags & CONF_TOKENS) != 0;

	if ((fp = fopen(path, "r")) == NULL)
		return log_error("configuration file '%s'", path);
	find_sections(fp, conf);

	/* Debian's libinih takes its options at run time. */
	ini_inline_comment_prefixes = ";#";
	ini_use_stack = 0;
	ini_allow_realloc = 1;
	ini_max_line = 65536;
	ini_allow_multiline = 0;	/* a repeated key is a duplicate */

	memset(&p, 0, sizeof(p));
	p.conf = conf;
	line = ini_parse_file(fp, on_key, &p);
	fclose(fp);
	if (line != 0) {
		if (p.err[0] == '\0')
			(void)strlcpy(p.err, line > 0 ? "syntax error, want "
			    "key = value" : "out of memory", sizeof(p.err));
		return log_errorx("%s:%d: %s", path, line, p.err);
	}

	set_defaults(conf, hb_keys, NHB, conf, conf->raw, 0);
	for (c = 0; c < CHAN_COUNT; c++) {
		cc = &conf->chan[c];
		if (!cc->enabled)
			continue;
		set_defaults(conf, chan_keys, NCHAN, cc, cc->raw, c);
		for (i = 0; i < NCHAN; i++)
			if ((chan_keys[i].required & (1u << c)) &&
			    (cc->raw[i] == NULL || cc->raw[i][0] == '\0'))
				return log_errorx("%s: [%s] needs '%s'", path,
				    chan_name(c), chan_keys[i].name);
	}
	cc = &conf->chan[CHAN_WHATSAPP];
	if (cc->template_language == NULL)
		cc->template_language = conf->language;
	return 0;
}

static void
print_keys(FILE *fp, const struct key *keys, size_t n, char *const *raw)
{
	const char *v;
	size_t i;

	for (i = 0; i < n; i++)
		if ((v = raw[i]) != NULL)
			fprintf(fp, "%s = %s\n", keys[i].name, v);
}

void
conf_print(const struct conf *conf, FILE *fp)
{
	const char *s;
	size_t i;
	int c;

	fprintf(fp, "[hb]\n");
	print_keys(fp, hb_keys, NHB, conf->raw);
	for (c = 0; c < CHAN_COUNT; c++) {
		if (!conf->chan[c].enabled)
			continue;
		fprintf(fp, "\n[%s]\n", chan_name(c));
		print_keys(fp, chan_keys, NCHAN, conf->chan[c].raw);
	}
	for (i = 0; i < conf->ntopics; i++)
		fprintf(fp, "%s%s = %s\n", i == 0 ? "\n[topics]\n" : "",
		    conf->topics[i].name, conf->topics[i].words);
	for (i = 0; i < conf->ntexts; i++) {
		if (i == 0 || strcmp(conf->texts[i].lang,
		    conf->texts[i - 1].lang) != 0)
			fprintf(fp, "\n[texts.%s]\n", conf->texts[i].lang);
		fprintf(fp, "%s = ", texts_name(conf->texts[i].id));
		for (s = conf->texts[i].value; *s != '\0'; s++)
			if (*s == '\n')
				fputs("\\n", fp);
			else if (*s == '\\')
				fputs("\\\\", fp);
			else
				putc(*s, fp);
		putc('\n', fp);
	}
}

static void
wipe(struct secret *s)
{
	if (s->value != NULL) {
		explicit_bzero(s->value, s->len);
		free(s->value);
	}
	s->value = NULL;
	s->len = 0;
}

void
conf_release(struct conf *conf)
{
	size_t i;
	int c;

	for (i = 0; i < NHB; i++)
		free(conf->raw[i]);
	for (c = 0; c < CHAN_COUNT; c++) {
		for (i = 0; i < NCHAN; i++)
			free(conf->chan[c].raw[i]);
		wipe(&conf->chan[c].token);
		wipe(&conf->chan[c].secret);
		wipe(&conf->chan[c].app_secret);
		wipe(&conf->chan[c].verify_token);
	}
	for (i = 0; i < conf->ntexts; i++)
		free(conf->texts[i].value);
	free(conf->texts);
	for (i = 0; i < conf->ntopics; i++) {
		free(conf->topics[i].name);
		free(conf->topics[i].words);
	}
	free(conf->topics);
	free(conf->channel_id);
	free(conf->path);
	memset(conf, 0, sizeof(*conf));
	conf->quiet_start = conf->quiet_end = -1;
}

static const char *
configured_text(const struct conf *conf, const char *lang, enum text_id id)
{
	size_t i;

	for (i = 0; i < conf->ntexts; i++)
		if (conf->texts[i].id == id &&
		    strcmp(conf->texts[i].lang, lang) == 0)
			return conf->texts[i].value;
	return texts_builtin(lang, id, conf->daily_limit);
}

/*
 * A text in lang, else in the configured language, else German: an
 * override in hb.conf wins over the built-in text of the same language.
 */
const char *
conf_text(const struct conf *conf, const char *lang, enum text_id id)
{
	const char *s = NULL;

	if (lang != NULL)
		s = configured_text(conf, lang, id);
	if (s == NULL && conf->language != NULL)
		s = configured_text(conf, conf->language, id);
	if (s == NULL)
		s = configured_text(conf, "de", id);
	return s;
}
