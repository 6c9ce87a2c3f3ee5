/* inbound.c: the platforms' bodies as events; see inbound.h. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "inbound.h"
#include "jsonl.h"
#include "xalloc.h"

/* The adapters, and the "object" of the Meta platforms' bodies. */
static const struct {
	const char *object;
	in_parse_fn parse;
} adapters[CHAN_COUNT] = {
	[CHAN_TELEGRAM] = { NULL, in_telegram_parse },
	[CHAN_WHATSAPP] = { "whatsapp_business_account", in_whatsapp_parse },
	[CHAN_MESSENGER] = { "page", in_messenger_parse },
	[CHAN_INSTAGRAM] = { "instagram", in_instagram_parse },
};

void
in_fail(char *err, size_t errsz, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	(void)vsnprintf(err, errsz, fmt, ap);
	va_end(ap);
}

struct in_event *
in_event_new(struct in_events *evs, enum in_kind kind, enum chan chan)
{
	struct in_event *ev;

	evs->v = xreallocarray(evs->v, evs->n + 1, sizeof(*evs->v));
	ev = &evs->v[evs->n++];
	memset(ev, 0, sizeof(*ev));
	ev->kind = kind;
	ev->chan = chan;
	return ev;
}

void
in_set(char **member, const char *s)
{
	free(*member);
	*member = s != NULL ? xstrdup(s) : NULL;
}

int
in_make_id(enum chan chan, const char *address, char **id)
{
	const char *why;
	enum chan c;

	*id = NULL;
	if (address == NULL || *address == '\0')
		return -1;
	xasprintf(id, "%s:%s", chan_name(chan), address);
	if (chan_check_id(*id, &c, &why) == -1) {
		free(*id);
		*id = NULL;
		return -1;
	}
	return 0;
}

int
in_set_id(struct in_event *ev, const char *address)
{
	char *id;

	if (in_make_id(ev->chan, address, &id) == -1)
		return -1;
	free(ev->id);
	ev->id = id;
	return 0;
}

static void
event_release(struct in_event *ev)
{
	free(ev->id);
	free(ev->pid);
	free(ev->account);
	free(ev->type);
	free(ev->text);
	free(ev->payload);
	free(ev->name);
	free(ev->phone);
	free(ev->alias);
	free(ev->lang);
	free(ev->status);
	free(ev->ref);
	free(ev->new_id);
	json_decref(ev->media);
	json_decref(ev->location);
	json_decref(ev->contact);
}

void
in_set_media(struct in_event *ev, const char *ref, const char *mime,
    long long size, const char *name)
{
	if (ref == NULL)
		return;
	json_decref(ev->media);
	ev->media = json_pack("{s:s}", "ref", ref);
	if (ev->media == NULL)
		return;		/* not UTF-8: not the platform's */
	if (mime != NULL)
		json_object_set_new(ev->media, "mime", json_string(mime));
	if (size >= 0)
		json_object_set_new(ev->media, "size", json_integer(size));
	if (name != NULL)
		json_object_set_new(ev->media, "name", json_string(name));
}

void
in_set_location(struct in_event *ev, const json_t *latitude,
    const json_t *longitude, const char *name, const char *address)
{
	if (!json_is_number(latitude) || !json_is_number(longitude))
		return;
	json_decref(ev->location);
	ev->location = json_pack("{s:f, s:f}", "latitude",
	    json_number_value(latitude), "longitude",
	    json_number_value(longitude));
	if (name != NULL)
		json_object_set_new(ev->location, "name", json_string(name));
	if (address != NULL)
		json_object_set_new(ev->location, "address",
		    json_string(address));
}

void
in_add_contact(struct in_event *ev, const char *name, const char *number)
{
	if (ev->contact == NULL)
		ev->contact = json_pack("{s:[], s:[]}", "names", "numbers");
	if (name != NULL && *name != '\0')
		json_array_append_new(json_object_get(ev->contact, "names"),
		    json_string(name));
	if (number != NULL && *number != '\0')
		json_array_append_new(json_object_get(ev->contact, "numbers"),
		    json_string(number));
}

void
in_events_release(struct in_events *evs)
{
	size_t i;

	for (i = 0; i < evs->n; i++)
		event_release(&evs->v[i]);
	free(evs->v);
	evs->v = NULL;
	evs->n = 0;
}

static int
object_channel(const json_t *body)
{
	const char *object = json_string_value(json_object_get(body,
	    "object"));
	int c;

	if (object == NULL)
		return json_object_get(body, "update_id") != NULL ?
		    CHAN_TELEGRAM : -1;
	for (c = 0; c < CHAN_COUNT; c++)
		if (adapters[c].object != NULL &&
		    strcmp(adapters[c].object, object) == 0)
			return c;
	return -1;
}

int
inbound_channel(const json_t *body)
{
	return json_is_object(body) ? object_channel(body) : -1;
}

int
inbound_parse_json(int chan, const json_t *o, struct in_events *evs,
    char *err, size_t errsz)
{
	struct in_events got = { NULL, 0 };
	int c, rc;

	if (!json_is_object(o)) {
		in_fail(err, errsz, "not a JSON object");
		return -1;
	}
	c = object_channel(o);
	if (c < 0 || (chan >= 0 && c != chan)) {
		if (c < 0)
			in_fail(err, errsz, "unknown \"object\"");
		else
			in_fail(err, errsz, "a %s body, not %s", chan_name(c),
			    chan_name(chan));
		return -1;
	}
	if ((rc = adapters[c].parse(o, &got, err, errsz)) == -1) {
		in_events_release(&got);
		return -1;
	}
	/* Append what was parsed, all or nothing. */
	in_events_move(evs, &got);
	return 0;
}

void
in_events_move(struct in_events *dst, struct in_events *src)
{
	if (src->n == 0) {
		in_events_release(src);
		return;
	}
	dst->v = xreallocarray(dst->v, dst->n + src->n, sizeof(*dst->v));
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	free(src->v);
	src->v = NULL;
	src->n = 0;
}

int
inbound_parse(int chan, const char *body, size_t len, struct in_events *evs,
    char *err, size_t errsz)
{
	json_error_t je;
	char buf[JSON_ERROR_TEXT_LENGTH];
	json_t *o;
	int rc;

	o = json_loadb(body, len, JSON_REJECT_DUPLICATES, &je);
	if (o == NULL) {
		jsonl_error(&je, buf, sizeof(buf));
		in_fail(err, errsz, "not JSON: %s", buf);
		return -1;
	}
	rc = inbound_parse_json(chan, o, evs, err, errsz);
	json_decref(o);
	return rc;
}

int
in_objects(const json_t *o, const char *key, const json_t **a, char *err,
    size_t errsz)
{
	const json_t *v;
	size_t i;

	*a = json_object_get(o, key);
	if (*a == NULL)
		return 0;
	if (!json_is_array(*a)) {
		in_fail(err, errsz, "\"%s\" is not an array", key);
		return -1;
	}
	json_array_foreach(*a, i, v)
		if (!json_is_object(v)) {
			in_fail(err, errsz, "\"%s\" holds a %s, not an object",
			    key, json_is_array(v) ? "list" : "value");
			return -1;
		}
	return 0;
}

void
in_set_account(struct in_events *evs, size_t from, const char *account)
{
	for (; account != NULL && from < evs->n; from++)
		in_set(&evs->v[from].account, account);
}
