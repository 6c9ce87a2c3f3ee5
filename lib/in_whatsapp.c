/*
 * in_whatsapp.c: WhatsApp Cloud API webhooks (platforms.md §1).
 *
 * A body holds entries, each holding changes; a change with field
 * "messages" carries messages, statuses and the senders' contacts.  A
 * subscriber is keyed on the phone number when the body gives one, else
 * on the business-scoped user ID (BSUID); both are kept.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inbound.h"

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/* WhatsApp sends Unix seconds as a string. */
static time_t
timestamp(const json_t *o)
{
	const json_t *t = json_object_get(o, "timestamp");
	const char *s = json_string_value(t);

	if (json_is_integer(t))
		return json_integer_value(t);
	return s != NULL ? (time_t)strtoll(s, NULL, 10) : 0;
}

/* The contact entry for a sender: by phone, else by BSUID. */
static const json_t *
contact_of(const json_t *contacts, const char *phone, const char *bsuid)
{
	const json_t *c;
	size_t i;

	json_array_foreach(contacts, i, c) {
		if (phone != NULL && str(c, "wa_id") != NULL &&
		    strcmp(str(c, "wa_id"), phone) == 0)
			return c;
		if (bsuid != NULL && str(c, "user_id") != NULL &&
		    strcmp(str(c, "user_id"), bsuid) == 0)
			return c;
	}
	return json_array_size(contacts) == 1 ? json_array_get(contacts, 0) :
	    NULL;
}

/* Set the ID from a phone or a BSUID; keep both. */
static int
set_person(struct in_event *ev, const char *phone, const char *bsuid)
{
	if (phone != NULL && in_set_id(ev, phone) == 0) {
		in_set(&ev->phone, phone);
		in_set(&ev->alias, bsuid);
		return 0;
	}
	if (bsuid != NULL && in_set_id(ev, bsuid) == 0)
		return 0;
	return -1;
}

/* The contacts a citizen shared: their formatted names and phones. */
static void
shared_contacts(struct in_event *ev, const json_t *contacts)
{
	const json_t *c, *phone;
	size_t i, k;

	json_array_foreach(contacts, i, c) {
		in_add_contact(ev, str(json_object_get(c, "name"),
		    "formatted_name"), NULL);
		json_array_foreach(json_object_get(c, "phones"), k, phone)
			in_add_contact(ev, NULL, str(phone, "phone"));
	}
}

/* The text a citizen's message carries, by its type. */
static void
message_text(struct in_event *ev, const json_t *m, const char *type)
{
	const json_t *part = json_object_get(m, type), *reply;

	if (strcmp(type, "text") == 0)
		in_set(&ev->text, str(part, "body"));
	else if (strcmp(type, "button") == 0) {
		in_set(&ev->text, str(part, "text"));
		in_set(&ev->payload, str(part, "payload"));
	} else if (strcmp(type, "interactive") == 0) {
		if ((reply = json_object_get(part, "button_reply")) == NULL)
			reply = json_object_get(part, "list_reply");
		in_set(&ev->text, str(reply, "title"));
		in_set(&ev->payload, str(reply, "id"));
	} else if (strcmp(type, "reaction") == 0)
		in_set(&ev->text, str(part, "emoji"));
	else if (strcmp(type, "location") == 0)
		in_set_location(ev, json_object_get(part, "latitude"),
		    json_object_get(part, "longitude"), str(part, "name"),
		    str(part, "address"));
	else if (strcmp(type, "contacts") == 0)
		shared_contacts(ev, part);
	else {
		/* image, video, audio, document, sticker: fetched by id. */
		in_set(&ev->text, str(part, "caption"));
		in_set_media(ev, str(part, "id"), str(part, "mime_type"), -1,
		    str(part, "filename"));
	}
}

static int
message(const json_t *m, const json_t *contacts, struct in_events *evs,
    char *err, size_t errsz)
{
	const char *phone = str(m, "from"), *bsuid = str(m, "from_user_id");
	const char *type = str(m, "type"), *mid = str(m, "id"), *stype;
	const char *new = NULL;
	const json_t *contact, *sys;
	struct in_event *ev;
	char buf[256];

	if (type == NULL || mid == NULL) {
		in_fail(err, errsz, "a message without \"type\" or \"id\"");
		return -1;
	}
	if (strcmp(type, "system") == 0) {
		sys = json_object_get(m, "system");
		stype = str(sys, "type");
		/*
		 * The new number is system.wa_id since Graph API v12, and
		 * new_wa_id before.  A BSUID that changes alone comes as
		 * user_changed_user_id, the old one in previous_user_id.
		 */
		if (stype != NULL && strcmp(stype, "user_changed_number") == 0)
			new = str(sys, "wa_id") != NULL ? str(sys, "wa_id") :
			    str(sys, "new_wa_id");
		else if (stype != NULL && strcmp(stype,
		    "user_changed_user_id") == 0) {
			new = str(sys, "user_id");
			phone = NULL;
			bsuid = str(sys, "previous_user_id");
		}
		if (new != NULL) {
			ev = in_event_new(evs, IN_RENUMBER, CHAN_WHATSAPP);
			if (set_person(ev, phone, bsuid) == -1 ||
			    in_make_id(CHAN_WHATSAPP, new, &ev->new_id) == -1) {
				in_fail(err, errsz, "a number change without "
				    "valid numbers");
				return -1;
			}
			(void)snprintf(buf, sizeof(buf), "whatsapp:%s", mid);
			in_set(&ev->pid, buf);
			ev->time = timestamp(m);
		}
		/* Other system messages: nothing to store. */
		return 0;
	}
	ev = in_event_new(evs, IN_MESSAGE, CHAN_WHATSAPP);
	if (set_person(ev, phone, bsuid) == -1) {
		in_fail(err, errsz, "a message without a valid sender");
		return -1;
	}
	(void)snprintf(buf, sizeof(buf), "whatsapp:%s", mid);
	in_set(&ev->pid, buf);
	ev->time = timestamp(m);
	in_set(&ev->type, strcmp(type, "unknown") == 0 ? "unsupported" : type);
	message_text(ev, m, type);
	if ((contact = contact_of(contacts, phone, bsuid)) != NULL) {
		in_set(&ev->name, str(json_object_get(contact, "profile"),
		    "name"));
		if (ev->alias == NULL && ev->phone != NULL)
			in_set(&ev->alias, str(contact, "user_id"));
	}
	return 0;
}

static int
status(const json_t *s, struct in_events *evs, char *err, size_t errsz)
{
	const char *mid = str(s, "id"), *st = str(s, "status");
	const json_t *e;
	struct in_event *ev;
	char buf[256];

	if (mid == NULL || st == NULL) {
		in_fail(err, errsz, "a status without \"id\" or \"status\"");
		return -1;
	}
	ev = in_event_new(evs, IN_STATUS, CHAN_WHATSAPP);
	if (set_person(ev, str(s, "recipient_id"),
	    str(s, "recipient_user_id")) == -1) {
		in_fail(err, errsz, "a status without a valid recipient");
		return -1;
	}
	(void)snprintf(buf, sizeof(buf), "whatsapp:%s", mid);
	in_set(&ev->ref, buf);
	(void)snprintf(buf, sizeof(buf), "whatsapp:%s:%s", mid, st);
	in_set(&ev->pid, buf);
	/* "played" (a voice message) is read, as far as hb cares. */
	in_set(&ev->status, strcmp(st, "played") == 0 ? "read" : st);
	ev->time = timestamp(s);
	if ((e = json_array_get(json_object_get(s, "errors"), 0)) != NULL)
		ev->error = json_integer_value(json_object_get(e, "code"));
	return 0;
}

int
in_whatsapp_parse(const json_t *body, struct in_events *evs, char *err,
    size_t errsz)
{
	const json_t *entries, *entry, *changes, *change, *value, *m;
	const json_t *messages, *statuses, *contacts;
	size_t i, j, k, n;

	/* Of another shape, a body is refused whole (400), not half read. */
	if (in_objects(body, "entry", &entries, err, errsz) == -1)
		return -1;
	if (entries == NULL) {
		in_fail(err, errsz, "no \"entry\" array");
		return -1;
	}
	json_array_foreach(entries, i, entry) {
		if (in_objects(entry, "changes", &changes, err, errsz) == -1)
			return -1;
		json_array_foreach(changes, j, change) {
			if (str(change, "field") == NULL ||
			    strcmp(str(change, "field"), "messages") != 0)
				continue;
			value = json_object_get(change, "value");
			if (!json_is_object(value)) {
				in_fail(err, errsz, "a change without a "
				    "\"value\" object");
				return -1;
			}
			if (in_objects(value, "messages", &messages, err,
			    errsz) == -1 || in_objects(value, "statuses",
			    &statuses, err, errsz) == -1 || in_objects(value,
			    "contacts", &contacts, err, errsz) == -1)
				return -1;
			n = evs->n;
			json_array_foreach(messages, k, m)
				if (message(m, contacts, evs, err, errsz) == -1)
					return -1;
			json_array_foreach(statuses, k, m)
				if (status(m, evs, err, errsz) == -1)
					return -1;
			/* The city's number it was sent to. */
			in_set_account(evs, n, str(json_object_get(value,
			    "metadata"), "phone_number_id"));
		}
	}
	return 0;
}
