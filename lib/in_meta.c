/*
 * in_meta.c: Messenger and Instagram webhooks (platforms.md §3, §4).
 *
 * Both send entries of "messaging" events with a sender, a recipient
 * and a time in milliseconds: messages, postbacks, reactions, edits,
 * delivery and read notices.  Echoes of the city's own messages are
 * skipped.  Instagram's read notice names a message ("read.mid") or, as
 * Messenger's does, a watermark; both are handled.
 */
#include <stdio.h>
#include <string.h>

#include "inbound.h"

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* The sender's ID, the item's pid and the time, for a new event. */
static struct in_event *
start(struct in_events *evs, enum in_kind kind, enum chan chan,
    const json_t *ev, const char *mid, const char *what, char *err,
    size_t errsz)
{
	struct in_event *e;
	long long ms = json_integer_value(json_object_get(ev, "timestamp"));
	char pid[512];

	e = in_event_new(evs, kind, chan);
	if (in_set_id(e, str(json_object_get(ev, "sender"), "id")) == -1) {
		in_fail(err, errsz, "a %s event without a valid sender",
		    chan_name(chan));
		return NULL;
	}
	e->time = ms / 1000;
	/* Items without an id of their own are named by sender and time. */
	if (mid != NULL)
		(void)snprintf(pid, sizeof(pid), "%s:%s%s", chan_name(chan),
		    what, mid);
	else
		(void)snprintf(pid, sizeof(pid), "%s:%s%s@%lld",
		    chan_name(chan), what, strchr(e->id, ':') + 1, ms);
	in_set(&e->pid, pid);
	return e;
}

static int
status(struct in_events *evs, enum chan chan, const json_t *ev,
    const json_t *notice, const char *st, char *err, size_t errsz)
{
	const json_t *mids = json_object_get(notice, "mids"), *mid;
	struct in_event *e;
	char ref[512];
	size_t i;

	if ((e = start(evs, IN_STATUS, chan, ev, NULL, strcmp(st, "read") == 0 ?
	    "read." : "delivered.", err, errsz)) == NULL)
		return -1;
	in_set(&e->status, st);
	e->watermark = json_integer_value(json_object_get(notice,
	    "watermark")) / 1000;
	if (str(notice, "mid") != NULL) {
		(void)snprintf(ref, sizeof(ref), "%s:%s", chan_name(chan),
		    str(notice, "mid"));
		in_set(&e->ref, ref);
	}
	/* Named messages each get a notice of their own. */
	json_array_foreach(mids, i, mid) {
		if (!json_is_string(mid))
			continue;
		if (e == NULL && (e = start(evs, IN_STATUS, chan, ev, NULL,
		    strcmp(st, "read") == 0 ? "read." : "delivered.", err,
		    errsz)) == NULL)
			return -1;
		(void)snprintf(ref, sizeof(ref), "%s:%s", chan_name(chan),
		    json_string_value(mid));
		in_set(&e->ref, ref);
		in_set(&e->status, st);
		e = NULL;
	}
	return 0;
}

/*
 * An attachment's payload.url, which expires: what hb-reply fetch
 * downloads.  A location (older payloads) has its coordinates.
 */
static void
attachment(struct in_event *e, const json_t *att)
{
	const json_t *payload = json_object_get(att, "payload"), *coords;

	if ((coords = json_object_get(payload, "coordinates")) != NULL)
		in_set_location(e, json_object_get(coords, "lat"),
		    json_object_get(coords, "long"), str(att, "title"), NULL);
	else
		in_set_media(e, str(payload, "url"), NULL, -1, NULL);
}

static int
messaging(struct in_events *evs, enum chan chan, const json_t *ev,
    char *err, size_t errsz)
{
	const json_t *m, *att;
	struct in_event *e;
	const char *type;

	if ((m = json_object_get(ev, "message")) != NULL) {
		if (json_is_true(json_object_get(m, "is_echo")))
			return 0;
		if ((e = start(evs, IN_MESSAGE, chan, ev, str(m, "mid"), "",
		    err, errsz)) == NULL)
			return -1;
		att = json_array_get(json_object_get(m, "attachments"), 0);
		type = str(m, "text") != NULL ? "text" : (str(att, "type") !=
		    NULL ? str(att, "type") : "unsupported");
		if (json_is_true(json_object_get(m, "is_deleted")))
			type = "deleted";
		in_set(&e->type, type);
		in_set(&e->text, str(m, "text"));
		in_set(&e->payload, str(json_object_get(m, "quick_reply"),
		    "payload"));
		attachment(e, att);
		return 0;
	}
	if ((m = json_object_get(ev, "postback")) != NULL) {
		if ((e = start(evs, IN_MESSAGE, chan, ev, str(m, "mid"), "pb.",
		    err, errsz)) == NULL)
			return -1;
		in_set(&e->type, "postback");
		in_set(&e->text, str(m, "title"));
		in_set(&e->payload, str(m, "payload"));
		return 0;
	}
	if ((m = json_object_get(ev, "reaction")) != NULL) {
		if ((e = start(evs, IN_MESSAGE, chan, ev, NULL, "re.", err,
		    errsz)) == NULL)
			return -1;
		in_set(&e->type, "reaction");
		in_set(&e->text, str(m, "emoji") != NULL ? str(m, "emoji") :
		    str(m, "reaction"));
		return 0;
	}
	if ((m = json_object_get(ev, "message_edit")) != NULL) {
		if ((e = start(evs, IN_MESSAGE, chan, ev, NULL, "ed.", err,
		    errsz)) == NULL)
			return -1;
		in_set(&e->type, "text");
		in_set(&e->text, str(m, "text"));
		e->edited = 1;
		return 0;
	}
	if ((m = json_object_get(ev, "delivery")) != NULL)
		return status(evs, chan, ev, m, "delivered", err, errsz);
	if ((m = json_object_get(ev, "read")) != NULL)
		return status(evs, chan, ev, m, "read", err, errsz);
	/* Opt-ins, referrals, handovers: not the city's business. */
	return 0;
}

/*
 * Every "entry" an object, every "messaging" an array of objects: a
 * body of another shape is refused whole (400), not half read.  Each
 * event is marked with the page or account it was sent to (its
 * recipient), so that hb-ingest passes over other tenants' events.
 */
static int
parse(const json_t *body, enum chan chan, struct in_events *evs, char *err,
    size_t errsz)
{
	const json_t *entries, *entry, *events, *ev;
	size_t i, j, n;

	if (in_objects(body, "entry", &entries, err, errsz) == -1)
		return -1;
	if (entries == NULL) {
		in_fail(err, errsz, "no \"entry\" array");
		return -1;
	}
	json_array_foreach(entries, i, entry) {
		if (in_objects(entry, "messaging", &events, err, errsz) == -1)
			return -1;
		json_array_foreach(events, j, ev) {
			n = evs->n;
			if (messaging(evs, chan, ev, err, errsz) == -1)
				return -1;
			in_set_account(evs, n, str(json_object_get(ev,
			    "recipient"), "id"));
		}
	}
	return 0;
}

int
in_messenger_parse(const json_t *body, struct in_events *evs, char *err,
    size_t errsz)
{
	return parse(body, CHAN_MESSENGER, evs, err, errsz);
}

int
in_instagram_parse(const json_t *body, struct in_events *evs, char *err,
    size_t errsz)
{
	return parse(body, CHAN_INSTAGRAM, evs, err, errsz);
}
