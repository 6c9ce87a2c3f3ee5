/*
 * conf.h: hb.conf(5), the one configuration file.
 *
 * conf_load() reads the INI file (through libinih), checks every key and
 * value, reads the secrets named by *_file keys and refuses secret files
 * that others may read.  The send tokens (token_file) are read only by
 * the programs that send, which ask for them with CONF_TOKENS: the
 * web-facing hb-ingest need not be able to read them (hb(7)).  Every error names file:line; the program then
 * exits EX_CONFIG.  Defaults live in the key table in conf.c and are
 * documented in hb.conf(5).
 */
#ifndef CONF_H
#define CONF_H

#include <stdio.h>
#include <sys/types.h>

#include "chan.h"
#include "texts.h"

/* A secret read from a file named by a *_file key. */
struct secret {
	char	*value;		/* NULL when not configured */
	size_t	 len;
};

#define CONF_KEYS_MAX	32	/* keys of a section, at most */

struct chan_conf {
	int	 enabled;	/* the channel's section is present */
	char	*raw[CONF_KEYS_MAX];	/* each key's text as configured or
				   defaulted */
	const char *api;	/* base URL of the send API */
	const char *account;	/* phone_number_id, page_id or account_id */
	const char *template;	/* WhatsApp: template outside the window */
	const char *template_language;
	const char *template_media; /* WhatsApp: the same, with a media header */
	const char *waba_id;	/* WhatsApp: the business account (check) */
	double	 template_price; /* WhatsApp: what a template costs; 0: unsaid */
	const char *media_url;	/* Instagram: where media_dir is served */
	const char *media_dir;
	const char *get_started; /* Messenger/Instagram postback payload */
	const char *channel;	/* Telegram: "telegram:@name", the city's
				   public channel every announcement goes to */
	long long rate;		/* messages per second, 0 = unlimited */
	struct secret token;	/* the send API's access token, read with
				   CONF_TOKENS only */
	struct secret secret;	/* Telegram: the webhook secret token */
	struct secret app_secret; /* Meta: key of X-Hub-Signature-256 */
	struct secret verify_token; /* Meta: the GET handshake's token */
};

struct conf_text;

/* A line of [topics]: its name, and the words citizens use for it. */
#define CONF_TOPICS_MAX	32
struct conf_topic {
	char	*name;		/* [a-z0-9_-], as send -t and lists say it */
	char	*words;		/* as configured: "Baustellen, Verkehr" */
};

struct conf {
	char	*path;
	char	*raw[CONF_KEYS_MAX];	/* each [hb] key's text */
	const char *home;
	const char *timezone;
	const char *language;
	const char *hooks;
	const char *ca_file;	/* certificates to trust, "": the system's */
	int	 has_group;
	gid_t	 gid;
	long long daily_limit;	/* 0 = no limit */
	int	 quiet_start;	/* minutes after midnight, -1 = none */
	int	 quiet_end;
	long long hook_timeout;
	long long max_body;
	long long lock_wait;	/* seconds to wait for the store */
	long long watchdog;	/* seconds a process may stay inside it */
	long long retain_messages; /* days, 0 = keep for ever */
	long long retain_receipts;
	long long retain_stopped;
	long long catch_up;	/* days of announcements "Neu" brings */
	const char *testers;	/* IDs that send -T goes to; conf_testers() */
	int	 approval;	/* regular broadcasts wait for approve */
	struct chan_conf chan[CHAN_COUNT];
	struct conf_text *texts;
	size_t	 ntexts;
	struct conf_topic *topics;
	size_t	 ntopics;
	char	*channel_id;	/* [telegram] channel's, owned here */
	int	 read_tokens;	/* CONF_TOKENS was given */
};

/* Fill in every default; no file is read. */
void	 conf_init(struct conf *);
/*
 * Read and check path.  0, or -1 after a "file:line: problem" message.
 * Flags: CONF_TOKENS reads the send tokens too.
 */
#define CONF_TOKENS	0x1
int	 conf_load(struct conf *, const char *path, unsigned flags);
/* Print the effective configuration in hb.conf syntax, secrets as paths. */
void	 conf_print(const struct conf *, FILE *);
/* Free everything, wiping the secrets first. */
void	 conf_release(struct conf *);

/* The testers' IDs, in *ids (n of them, each and the array malloc'd). */
int	 conf_testers(const struct conf *, char ***ids, size_t *n);
/* The topic called name, or -1. */
int	 conf_topic(const struct conf *, const char *name);

/* The text id in language lang, from [texts.LANG] or the built-ins. */
const char *conf_text(const struct conf *, const char *lang, enum text_id);

#endif /* CONF_H */
