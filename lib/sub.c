/* sub.c: subscribers; see sub.h. */
#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "hb.h"
#include "jsonl.h"
#include "log.h"
#include "revoke.h"
#include "sub.h"
#include "timefmt.h"

static const char *const state_names[SUB_NSTATES] = {
	[SUB_ACTIVE] = "active",
	[SUB_STOPPED] = "stopped",
	[SUB_UNREACHABLE] = "unreachable",
	[SUB_PENDING] = "pending",
};

/* Members of a record that are times, stored as Unix seconds. */
static const char *const time_members[] = { "since", "changed",
    "last_inbound", "unanswered", NULL };

const char *
sub_state_name(enum sub_state s)
{
	return (unsigned)s < SUB_NSTATES ? state_names[s] : "?";
}

int
sub_state_lookup(const char *name)
{
	int s;

	for (s = 0; s < SUB_NSTATES; s++)
		if (strcmp(state_names[s], name) == 0)
			return s;
	return -1;
}

int
sub_get(struct txn *tx, const char *id, json_t **rec)
{
	return store_get(tx, T_SUBSCRIBERS, id, strlen(id), rec);
}

static int
put(struct txn *tx, json_t *rec, int flags)
{
	const char *id = jsonl_string(rec, "id");

	return store_put(tx, T_SUBSCRIBERS, id, strlen(id), rec, flags);
}

/* A subscriber's ID: valid, and a person's, not a public channel's. */
static int
subscriber_id(const char *id, enum chan *chan, const char **why)
{
	if (chan_check_id(id, chan, why) == -1)
		return -1;
	if (chan_is_public(id)) {
		*why = "a public channel is no subscriber ([telegram] channel)";
		return -1;
	}
	return 0;
}

int
sub_add(struct txn *tx, const char *id, const char *source, time_t now,
    int *was)
{
	enum chan chan;
	const char *why;
	json_t *rec;
	int rc;

	if (subscriber_id(id, &chan, &why) == -1)
		return -1;
	rc = sub_get(tx, id, &rec);
	if (rc == STORE_NOTFOUND) {
		*was = -1;
		rec = json_pack("{s:i, s:s, s:s, s:s, s:I, s:I, s:s}",
		    "v", 1, "id", id, "channel", chan_name(chan),
		    "state", "active", "since", (json_int_t)now,
		    "changed", (json_int_t)now, "source", source);
	} else if (rc != 0)
		return rc;
	else {
		*was = sub_state_lookup(jsonl_string(rec, "state"));
		if (*was == SUB_ACTIVE) {
			json_decref(rec);
			return 0;
		}
		json_object_set_new(rec, "state", json_string("active"));
		json_object_set_new(rec, "since", json_integer(now));
		json_object_set_new(rec, "changed", json_integer(now));
		/* Coming back is a fresh start: everything again. */
		json_object_del(rec, "topics");
	}
	rc = put(tx, rec, 0);
	json_decref(rec);
	return rc;
}

int
sub_set_state(struct txn *tx, const char *id, enum sub_state state,
    time_t now)
{
	json_t *rec;
	int rc;

	if ((rc = sub_get(tx, id, &rec)) != 0)
		return rc;
	if (strcmp(jsonl_string(rec, "state"), sub_state_name(state)) != 0) {
		/* A sender at work must not send them what it holds. */
		if (strcmp(jsonl_string(rec, "state"), "active") == 0 &&
		    revoke_note(store_home(tx)) == -1)
			rc = -1;
		json_object_set_new(rec, "state",
		    json_string(sub_state_name(state)));
		json_object_set_new(rec, "changed", json_integer(now));
		if (rc == 0)
			rc = put(tx, rec, 0);
	}
	json_decref(rec);
	return rc;
}

int
sub_put_new(struct txn *tx, json_t *rec)
{
	return put(tx, rec, STORE_NOOVERWRITE);
}

static void
set_string(json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, json_string(s));
}

int
sub_seen(struct txn *tx, const struct sub_contact *c, time_t now,
    json_t **recp)
{
	json_t *rec, *last;
	time_t when;
	int rc;

	rc = sub_get(tx, c->id, &rec);
	if (rc == STORE_NOTFOUND)
		rec = json_pack("{s:i, s:s, s:s, s:s, s:I, s:s}", "v", 1,
		    "id", c->id, "channel", chan_name(c->chan),
		    "state", "stopped", "changed", (json_int_t)now,
		    "source", "message");
	else if (rc != 0)
		return rc;
	set_string(rec, "name", c->name);
	set_string(rec, "phone", c->phone);
	set_string(rec, "alias", c->alias);
	if (c->lang != NULL && jsonl_string(rec, "lang") == NULL &&
	    strlen(c->lang) >= 2)
		json_object_set_new(rec, "lang", json_stringn(c->lang, 2));
	/* Some items (a Telegram button) come without a time: now, then. */
	when = c->time > 0 ? c->time : now;
	last = json_object_get(rec, "last_inbound");
	if (!json_is_integer(last) || json_integer_value(last) < when)
		json_object_set_new(rec, "last_inbound", json_integer(when));
	if ((rc = put(tx, rec, 0)) == 0)
		*recp = rec;
	else
		json_decref(rec);
	return rc;
}

int
sub_set_unanswered(struct txn *tx, const char *id, time_t t)
{
	json_t *rec;
	int rc;

	if ((rc = sub_get(tx, id, &rec)) != 0)
		return rc;
	if (!json_is_integer(json_object_get(rec, "unanswered"))) {
		json_object_set_new(rec, "unanswered", json_integer(t));
		rc = put(tx, rec, 0);
	}
	json_decref(rec);
	return rc;
}

int
sub_clear_unanswered(struct txn *tx, const char *id)
{
	json_t *rec;
	int rc;

	if ((rc = sub_get(tx, id, &rec)) != 0)
		return rc;
	if (json_object_del(rec, "unanswered") == 0)
		rc = put(tx, rec, 0);
	json_decref(rec);
	return rc;
}

/* Set id's member key to value (taken; NULL deletes it). */
static int
set_member(struct txn *tx, const char *id, const char *key, json_t *value)
{
	json_t *rec;
	int rc;

	if ((rc = sub_get(tx, id, &rec)) != 0) {
		json_decref(value);
		return rc;
	}
	if (value == NULL)
		json_object_del(rec, key);
	else
		json_object_set_new(rec, key, value);
	rc = put(tx, rec, 0);
	json_decref(rec);
	return rc;
}

int
sub_set_topics(struct txn *tx, const char *id, const json_t *topics)
{
	return set_member(tx, id, "topics", json_array_size(topics) > 0 ?
	    json_deep_copy(topics) : NULL);
}

int
sub_note_catch_up(struct txn *tx, const char *id, long day)
{
	return set_member(tx, id, "caught_up", json_integer(day));
}

int
sub_move(struct txn *tx, const char *old, const char *new)
{
	const char *colon = strchr(new, ':');
	json_t *rec, *have;
	int rc;

	if ((rc = sub_get(tx, old, &rec)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	if ((rc = sub_get(tx, new, &have)) == STORE_NOTFOUND) {
		json_object_set_new(rec, "id", json_string(new));
		/* A WhatsApp phone number; a BSUID has a dot. */
		if (colon != NULL && strchr(colon, '.') == NULL)
			json_object_set_new(rec, "phone",
			    json_string(colon + 1));
		rc = put(tx, rec, 0);
	} else if (rc == 0)
		json_decref(have);
	json_decref(rec);
	return rc != 0 ? rc : sub_delete(tx, old);
}

int
sub_find_alias(struct txn *tx, const char *alias, char *id, size_t idsz)
{
	size_t klen = idsz - 1;
	json_t *rec;
	int rc;

	if ((rc = store_index_get(tx, I_SUB_ALIAS, alias, strlen(alias), id,
	    &klen, &rec)) != 0)
		return rc;
	json_decref(rec);
	id[klen] = '\0';
	return 0;
}

int
sub_delete(struct txn *tx, const char *id)
{
	return store_del(tx, T_SUBSCRIBERS, id, strlen(id));
}

size_t
sub_state_key(enum sub_state state, enum chan c, char *buf, size_t size)
{
	int n = snprintf(buf, size, "%s:%s", sub_state_name(state),
	    chan_name(c));

	return n < 0 || (size_t)n >= size ? 0 : (size_t)n;
}

int
sub_each_in(struct txn *tx, enum sub_state state, enum chan c,
    const char *from, store_each_fn fn, void *arg)
{
	char key[64];
	size_t klen = sub_state_key(state, c, key, sizeof(key));

	if (from != NULL && *from != '\0')
		return store_index_each_from(tx, I_SUB_STATE, key, klen, from,
		    strlen(from), fn, arg);
	return store_index_each(tx, I_SUB_STATE, key, klen, 0, fn, arg);
}

int
sub_each(struct txn *tx, store_each_fn fn, void *arg)
{
	return store_each(tx, T_SUBSCRIBERS, NULL, 0, fn, arg);
}

int
sub_count_in(struct txn *tx, enum sub_state state, enum chan c, size_t *n)
{
	char key[64];
	size_t klen = sub_state_key(state, c, key, sizeof(key));

	return store_index_count(tx, I_SUB_STATE, key, klen, n);
}

int
sub_count(struct txn *tx, size_t counts[CHAN_COUNT][SUB_NSTATES])
{
	int c, s, rc;

	for (c = 0; c < CHAN_COUNT; c++)
		for (s = 0; s < SUB_NSTATES; s++)
			if ((rc = sub_count_in(tx, s, c, &counts[c][s])) != 0)
				return rc;
	return 0;
}

void
sub_page_init(struct sub_page *pg, int chan, int state)
{
	memset(pg, 0, sizeof(*pg));
	pg->chan = chan;
	pg->state = state;
	/* IDs begin with their channel: start at its first one. */
	if (chan >= 0)
		pg->fromlen = snprintf(pg->from, sizeof(pg->from), "%s:",
		    chan_name(chan));
}

struct page_walk {
	struct sub_page *pg;
	json_t	*out;
	size_t	 max, scanned;
};

static int
page_one(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct page_walk *w = arg;
	struct sub_page *pg = w->pg;
	const char *s;

	if (klen > HB_ID_MAX)
		return log_errorx("store: a subscriber key is too long");
	s = jsonl_string(rec, "channel");
	if (pg->chan >= 0 && (s == NULL ||
	    strcmp(s, chan_name(pg->chan)) != 0)) {
		/* Sorted by ID, so by channel: the rest are others'. */
		pg->done = 1;
		return STORE_STOP;
	}
	/* Go on after this key next time: the key and a NUL byte. */
	memcpy(pg->from, key, klen);
	pg->from[klen] = '\0';
	pg->fromlen = klen + 1;
	s = jsonl_string(rec, "state");
	if (pg->state < 0 || (s != NULL &&
	    strcmp(s, sub_state_name(pg->state)) == 0))
		json_array_append(w->out, rec);
	/* A page ends when full, or after a bounded scan of others. */
	if (json_array_size(w->out) >= w->max || ++w->scanned >= 10 * w->max) {
		pg->done = 0;
		return STORE_STOP;
	}
	return 0;
}

int
sub_page_next(struct txn *tx, struct sub_page *pg, size_t max, json_t *out)
{
	struct page_walk w = { pg, out, max, 0 };

	pg->done = 1;	/* unless page_one stops for the page's size */
	return store_each(tx, T_SUBSCRIBERS, pg->fromlen > 0 ? pg->from :
	    NULL, pg->fromlen, page_one, &w);
}

json_t *
sub_export(const json_t *rec)
{
	json_t *o = jsonl_export(rec, time_members);
	size_t i;

	/* An export has every column, null where there is nothing. */
	for (i = 0; time_members[i] != NULL; i++)
		if (!json_is_string(json_object_get(o, time_members[i])))
			json_object_set_new(o, time_members[i], json_null());
	if (json_object_get(o, "name") == NULL)
		json_object_set_new(o, "name", json_null());
	if (json_object_get(o, "topics") == NULL)
		json_object_set_new(o, "topics", json_array());
	return o;
}

/* An import's "topics": absent, null or an array of topic names. */
static int
import_topics(const json_t *exp, json_t *rec)
{
	const json_t *topics = json_object_get(exp, "topics"), *t;
	const char *name;
	size_t i;

	if (topics == NULL || json_is_null(topics))
		return 0;
	if (!json_is_array(topics))
		return -1;
	json_array_foreach(topics, i, t) {
		if ((name = json_string_value(t)) == NULL || *name == '\0' ||
		    strlen(name) > 32 || strspn(name,
		    "abcdefghijklmnopqrstuvwxyz0123456789_-") != strlen(name))
			return -1;
	}
	if (json_array_size(topics) > 0)
		json_object_set_new(rec, "topics", json_deep_copy(topics));
	return 0;
}

/* A string member that may be absent or null; -1 if it is another type. */
static int
optional_string(const json_t *o, const char *key, const char **s)
{
	json_t *v = json_object_get(o, key);

	*s = NULL;
	if (v == NULL || json_is_null(v))
		return 0;
	if (!json_is_string(v))
		return -1;
	*s = json_string_value(v);
	return 0;
}

json_t *
sub_import(const json_t *exp, time_t now, char *err, size_t errsz)
{
	static const char *const strings[] = { "name", "phone", "alias",
	    "lang" };
	const char *id, *state, *s, *why;
	enum chan chan;
	json_t *rec;
	time_t t;
	size_t i;

	if ((id = jsonl_string(exp, "id")) == NULL) {
		(void)snprintf(err, errsz, "no \"id\"");
		return NULL;
	}
	if (subscriber_id(id, &chan, &why) == -1) {
		(void)snprintf(err, errsz, "'%s': %s", id, why);
		return NULL;
	}
	if (optional_string(exp, "state", &state) == -1 ||
	    (state != NULL && sub_state_lookup(state) < 0)) {
		(void)snprintf(err, errsz, "'%s': bad state (active, stopped, "
		    "unreachable, pending)", id);
		return NULL;
	}
	if (optional_string(exp, "channel", &s) == -1 ||
	    (s != NULL && strcmp(s, chan_name(chan)) != 0)) {
		(void)snprintf(err, errsz, "'%s': \"channel\" does not match "
		    "the ID", id);
		return NULL;
	}
	rec = json_pack("{s:i, s:s, s:s, s:s, s:s}", "v", 1, "id", id,
	    "channel", chan_name(chan), "state", state != NULL ? state :
	    "active", "source", "import");
	for (i = 0; i < sizeof(strings) / sizeof(strings[0]); i++) {
		if (optional_string(exp, strings[i], &s) == -1) {
			(void)snprintf(err, errsz, "'%s': \"%s\" is not a "
			    "string", id, strings[i]);
			goto fail;
		}
		if (s != NULL && strlen(s) > SUB_FIELD_MAX) {
			(void)snprintf(err, errsz, "'%s': \"%s\" is longer than "
			    "%d bytes", id, strings[i], SUB_FIELD_MAX);
			goto fail;
		}
		if (s != NULL && *s != '\0')
			json_object_set_new(rec, strings[i], json_string(s));
	}
	for (i = 0; time_members[i] != NULL; i++) {
		if (optional_string(exp, time_members[i], &s) == -1 ||
		    (s != NULL && timefmt_parse(s, &t) == -1)) {
			(void)snprintf(err, errsz, "'%s': \"%s\" is not an "
			    "RFC 3339 time", id, time_members[i]);
			goto fail;
		}
		if (s != NULL)
			json_object_set_new(rec, time_members[i],
			    json_integer(t));
	}
	if (import_topics(exp, rec) == -1) {
		(void)snprintf(err, errsz, "'%s': \"topics\" is not an array "
		    "of topic names", id);
		goto fail;
	}
	if (json_object_get(rec, "since") == NULL)
		json_object_set_new(rec, "since", json_integer(now));
	if (json_object_get(rec, "changed") == NULL)
		json_object_set(rec, "changed", json_object_get(rec, "since"));
	return rec;
fail:
	json_decref(rec);
	return NULL;
}

time_t
sub_since_from_line(const char *line)
{
	char err[64], field[TIMEFMT_SIZE + 8];
	const char *s = line, *v;
	time_t t = 0;
	json_t *o;
	size_t n;
	int i;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '{') {
		if ((o = jsonl_parse_object(s, strlen(s), err, sizeof(err))) !=
		    NULL && (v = jsonl_string(o, "since")) != NULL &&
		    timefmt_parse(v, &t) == -1)
			t = 0;
		json_decref(o);
		return t;
	}
	for (i = 0; i < 3 && s != NULL; i++)
		if ((s = strchr(s, '\t')) != NULL)
			s++;
	if (s == NULL || (n = strcspn(s, "\t\r\n")) >= sizeof(field))
		return 0;
	memcpy(field, s, n);
	field[n] = '\0';
	return timefmt_parse(field, &t) == 0 ? t : 0;
}

int
sub_id_from_line(const char *line, char *id, size_t idsz, char *err,
    size_t errsz)
{
	enum chan chan;
	const char *s = line, *why, *v;
	json_t *o;
	size_t n;

	while (isspace((unsigned char)*s))
		s++;
	if (*s == '\0')
		return 1;
	if (*s == '{') {
		if ((o = jsonl_parse_object(s, strlen(s), err, errsz)) == NULL)
			return -1;
		if ((v = jsonl_string(o, "id")) == NULL) {
			json_decref(o);
			(void)snprintf(err, errsz, "no \"id\" in the JSON line");
			return -1;
		}
		n = strlen(v);
		if (n >= idsz) {
			json_decref(o);
			(void)snprintf(err, errsz, "the ID is too long");
			return -1;
		}
		memcpy(id, v, n + 1);
		json_decref(o);
	} else {
		n = strcspn(s, "\t\r\n");
		while (n > 0 && s[n - 1] == ' ')
			n--;
		if (n >= idsz) {
			(void)snprintf(err, errsz, "the ID is too long");
			return -1;
		}
		memcpy(id, s, n);
		id[n] = '\0';
	}
	if (subscriber_id(id, &chan, &why) == -1) {
		(void)snprintf(err, errsz, "'%s': %s", id, why);
		return -1;
	}
	return 0;
}
