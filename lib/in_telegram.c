/*
 * in_telegram.c: Telegram Bot API updates (platforms.md §2).
 *
 * One update per body.  Only private chats are the city's business;
 * updates from groups and channels are skipped.  The update_id is
 * unique per bot, so it names the item for duplicates.
 */
#include <stdio.h>
#include <string.h>

#include "inbound.h"

/* The first of these members a message has names its type. */
static const char *const media[] = { "photo", "video", "voice", "audio",
    "document", "sticker", "animation", "video_note", "location", "venue",
    "contact", "poll", "dice" };

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

/*
 * What the office needs to see a non-text message: the file_id of a
 * file (a photo's largest size, the last), a location or venue, a
 * shared contact.
 */
static void
attachment(struct in_event *ev, const json_t *m)
{
	const json_t *f = json_object_get(m, ev->type), *loc, *size;
	const char *first, *last;
	char name[256];

	if (json_is_array(f))
		f = json_array_get(f, json_array_size(f) - 1);
	if (strcmp(ev->type, "location") == 0 || strcmp(ev->type,
	    "venue") == 0) {
		loc = strcmp(ev->type, "venue") == 0 ?
		    json_object_get(f, "location") : f;
		in_set_location(ev, json_object_get(loc, "latitude"),
		    json_object_get(loc, "longitude"), str(f, "title"),
		    str(f, "address"));
	} else if (strcmp(ev->type, "contact") == 0) {
		first = str(f, "first_name");
		last = str(f, "last_name");
		(void)snprintf(name, sizeof(name), "%s%s%s", first != NULL ?
		    first : "", first != NULL && last != NULL ? " " : "",
		    last != NULL ? last : "");
		in_add_contact(ev, name, str(f, "phone_number"));
	} else if (str(f, "file_id") != NULL) {
		size = json_object_get(f, "file_size");
		in_set_media(ev, str(f, "file_id"), str(f, "mime_type"),
		    json_is_integer(size) ? json_integer_value(size) : -1,
		    str(f, "file_name"));
	}
}

/* A chat or user id as digits. */
static int
id_digits(const json_t *v, char *buf, size_t bufsz)
{
	if (!json_is_integer(v) || json_integer_value(v) <= 0)
		return -1;
	(void)snprintf(buf, bufsz, "%lld", (long long)json_integer_value(v));
	return 0;
}

static void
set_name(struct in_event *ev, const json_t *from)
{
	const char *first = str(from, "first_name"), *last = str(from,
	    "last_name");
	char name[512];

	if (first == NULL)
		return;
	if (last != NULL)
		(void)snprintf(name, sizeof(name), "%s %s", first, last);
	else
		(void)snprintf(name, sizeof(name), "%s", first);
	in_set(&ev->name, name);
	in_set(&ev->lang, str(from, "language_code"));
}

static int
private_chat(const json_t *chat, char *id, size_t idsz)
{
	const char *type = str(chat, "type");

	if (type != NULL && strcmp(type, "private") != 0)
		return 1;
	return id_digits(json_object_get(chat, "id"), id, idsz);
}

static int
message(const json_t *m, int edited, long long update, struct in_events *evs,
    char *err, size_t errsz)
{
	struct in_event *ev;
	const json_t *date;
	char id[32], pid[48];
	size_t i;
	int rc;

	if (!json_is_object(m) || (rc = private_chat(json_object_get(m,
	    "chat"), id, sizeof(id))) == -1) {
		in_fail(err, errsz, "a message without a chat");
		return -1;
	}
	if (rc == 1)
		return 0;
	ev = in_event_new(evs, IN_MESSAGE, CHAN_TELEGRAM);
	if (in_set_id(ev, id) == -1) {
		in_fail(err, errsz, "bad chat id");
		return -1;
	}
	(void)snprintf(pid, sizeof(pid), "telegram:u%lld", update);
	in_set(&ev->pid, pid);
	date = json_object_get(m, edited ? "edit_date" : "date");
	if (!json_is_integer(date))
		date = json_object_get(m, "date");
	ev->time = json_integer_value(date);
	ev->edited = edited;
	set_name(ev, json_object_get(m, "from"));
	if (str(m, "text") != NULL) {
		in_set(&ev->type, "text");
		in_set(&ev->text, str(m, "text"));
		return 0;
	}
	in_set(&ev->type, "other");
	for (i = 0; i < sizeof(media) / sizeof(media[0]); i++)
		if (json_object_get(m, media[i]) != NULL) {
			in_set(&ev->type, media[i]);
			break;
		}
	in_set(&ev->text, str(m, "caption"));
	attachment(ev, m);
	return 0;
}

int
in_telegram_parse(const json_t *u, struct in_events *evs, char *err,
    size_t errsz)
{
	const json_t *update = json_object_get(u, "update_id"), *v, *m;
	struct in_event *ev;
	char id[32], pid[48];
	const char *s;
	size_t i;

	if (!json_is_integer(update)) {
		in_fail(err, errsz, "no \"update_id\"");
		return -1;
	}
	(void)snprintf(pid, sizeof(pid), "telegram:u%lld",
	    (long long)json_integer_value(update));
	if ((v = json_object_get(u, "message")) != NULL)
		return message(v, 0, json_integer_value(update), evs, err,
		    errsz);
	if ((v = json_object_get(u, "edited_message")) != NULL)
		return message(v, 1, json_integer_value(update), evs, err,
		    errsz);
	if ((v = json_object_get(u, "callback_query")) != NULL) {
		/* A button under one of the city's messages. */
		m = json_object_get(v, "message");
		if (id_digits(json_object_get(json_object_get(m, "chat"),
		    "id"), id, sizeof(id)) == -1 && id_digits(json_object_get(
		    json_object_get(v, "from"), "id"), id, sizeof(id)) == -1) {
			in_fail(err, errsz, "a callback_query without a user");
			return -1;
		}
		ev = in_event_new(evs, IN_MESSAGE, CHAN_TELEGRAM);
		if (in_set_id(ev, id) == -1) {
			in_fail(err, errsz, "bad user id");
			return -1;
		}
		in_set(&ev->pid, pid);
		in_set(&ev->type, "postback");
		in_set(&ev->payload, str(v, "data"));
		in_set(&ev->text, str(v, "data"));
		set_name(ev, json_object_get(v, "from"));
		ev->time = json_integer_value(json_object_get(m, "date"));
		return 0;
	}
	if ((v = json_object_get(u, "my_chat_member")) != NULL) {
		/* In a private chat: the user blocked or unblocked the bot. */
		if (private_chat(json_object_get(v, "chat"), id,
		    sizeof(id)) != 0)
			return 0;
		s = str(json_object_get(v, "new_chat_member"), "status");
		if (s == NULL || strcmp(s, "kicked") != 0)
			return 0;
		ev = in_event_new(evs, IN_BLOCKED, CHAN_TELEGRAM);
		if (in_set_id(ev, id) == -1) {
			in_fail(err, errsz, "bad chat id");
			return -1;
		}
		in_set(&ev->pid, pid);
		ev->time = json_integer_value(json_object_get(v, "date"));
		return 0;
	}
	if ((v = json_object_get(u, "message_reaction")) != NULL) {
		if (private_chat(json_object_get(v, "chat"), id,
		    sizeof(id)) != 0)
			return 0;
		ev = in_event_new(evs, IN_MESSAGE, CHAN_TELEGRAM);
		if (in_set_id(ev, id) == -1) {
			in_fail(err, errsz, "bad chat id");
			return -1;
		}
		in_set(&ev->pid, pid);
		in_set(&ev->type, "reaction");
		ev->time = json_integer_value(json_object_get(v, "date"));
		json_array_foreach(json_object_get(v, "new_reaction"), i, m)
			if ((s = str(m, "emoji")) != NULL) {
				in_set(&ev->text, s);
				break;
			}
		return 0;
	}
	/* Other updates (channel posts, polls, ...) are not for the city. */
	return 0;
}
