/*
 * inbound.h: what the platforms send, turned into one list of events.
 *
 * Each platform has an adapter (in_telegram.c, in_whatsapp.c, in_meta.c
 * for Messenger and Instagram) that reads a webhook body or a Telegram
 * update into struct in_event records; nothing here touches the store.
 * A body that is not what its platform sends is refused whole, with a
 * reason, so that nothing of it is stored.
 */
#ifndef INBOUND_H
#define INBOUND_H

#include <stddef.h>
#include <time.h>

#include <jansson.h>

#include "chan.h"

enum in_kind {
	IN_MESSAGE,	/* a citizen wrote: text or any other type */
	IN_STATUS,	/* delivered or read notice of a city's message */
	IN_BLOCKED,	/* the citizen blocked the city */
	IN_RENUMBER	/* WhatsApp: the citizen has a new number */
};

struct in_event {
	enum in_kind kind;
	enum chan chan;
	char	*id;		/* subscriber ID */
	char	*pid;		/* unique id of this item: duplicates */
	char	*account;	/* the city's account it was sent to (phone
				   number id, page, Instagram account), or
				   NULL where the body does not say */
	time_t	 time;		/* the platform's time of it */
	/* IN_MESSAGE */
	char	*type;		/* "text", "image", "postback", "reaction"... */
	char	*text;		/* text, caption, button or postback title */
	char	*payload;	/* postback or button payload */
	char	*name;		/* display name, where the platform sends it */
	char	*phone;		/* WhatsApp: the phone number */
	char	*alias;		/* WhatsApp: the business-scoped user ID */
	char	*lang;		/* Telegram: the client's language */
	int	 edited;	/* an edit of an earlier message */
	/*
	 * What the office needs to see a non-text message, kept with it
	 * (msg.h): a picture's or document's {ref, mime, size, name}, the
	 * platform's reference that hb-reply fetch downloads; a location's
	 * {latitude, longitude, name, address}; a shared contact's
	 * {names, numbers}.  NULL where the message has none.
	 */
	json_t	*media;
	json_t	*location;
	json_t	*contact;
	/* IN_STATUS */
	char	*status;	/* "sent", "delivered", "read", "failed" */
	char	*ref;		/* pid of the city's message, or NULL */
	time_t	 watermark;	/* everything sent up to then, or 0 */
	long long error;	/* platform error code of a failure */
	/* IN_RENUMBER */
	char	*new_id;
};

struct in_events {
	struct in_event *v;
	size_t	 n;
};

/*
 * Parse one body for channel chan; -1 guesses it from the body (Meta's
 * "object", Telegram's "update_id").  Appends events to evs; returns 0,
 * or -1 with a reason in err and nothing appended.
 */
int	 inbound_parse(int chan, const char *body, size_t len,
	    struct in_events *evs, char *err, size_t errsz);
/* The same for a body already parsed. */
int	 inbound_parse_json(int chan, const json_t *body,
	    struct in_events *evs, char *err, size_t errsz);
/* The channel a parsed body is from ("object", "update_id"), or -1. */
int	 inbound_channel(const json_t *body);
void	 in_events_release(struct in_events *);
/* Append the events of src to dst; src is left empty. */
void	 in_events_move(struct in_events *dst, struct in_events *src);

/* For the adapters. */
struct in_event *in_event_new(struct in_events *, enum in_kind,
	    enum chan);
/* Set a string member to a copy of s (NULL stays NULL). */
void	 in_set(char **member, const char *s);
/* A new "channel:address" in *id; -1 if it is no valid ID. */
int	 in_make_id(enum chan, const char *address, char **id);
/* Set ev->id to "channel:address"; -1 if it is no valid ID. */
int	 in_set_id(struct in_event *, const char *address);
/*
 * The member key of o as an array whose items are all objects, into
 * *a: 0 (*a NULL when o has no such member), or -1 with a reason.
 */
int	 in_objects(const json_t *o, const char *key, const json_t **a,
	    char *err, size_t errsz);
/*
 * ev's attachment (any of mime, name NULL, size < 0 where the platform
 * does not say), location (nothing unless both coordinates are
 * numbers), and one shared contact more.
 */
void	 in_set_media(struct in_event *, const char *ref, const char *mime,
	    long long size, const char *name);
void	 in_set_location(struct in_event *, const json_t *latitude,
	    const json_t *longitude, const char *name, const char *address);
void	 in_add_contact(struct in_event *, const char *name,
	    const char *number);
/* Set the account of the events evs got from index from on. */
void	 in_set_account(struct in_events *evs, size_t from,
	    const char *account);
void	 in_fail(char *err, size_t errsz, const char *fmt, ...)
	    __attribute__((format(printf, 3, 4)));

typedef int (*in_parse_fn)(const json_t *body, struct in_events *,
    char *err, size_t errsz);
int	 in_telegram_parse(const json_t *, struct in_events *, char *, size_t);
int	 in_whatsapp_parse(const json_t *, struct in_events *, char *, size_t);
int	 in_messenger_parse(const json_t *, struct in_events *, char *,
	    size_t);
int	 in_instagram_parse(const json_t *, struct in_events *, char *,
	    size_t);

#endif /* INBOUND_H */
