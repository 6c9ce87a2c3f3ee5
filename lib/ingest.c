/* ingest.c: the events of a body, applied to the store; see ingest.h. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "erase.h"
#include "hb.h"
#include "ingest.h"
#include "jsonl.h"
#include "keyword.h"
#include "outbox.h"
#include "person.h"
#include "sub.h"
#include "texts.h"
#include "timefmt.h"
#include "xalloc.h"

/* The event object for the stream and the hooks (DESIGN §5). */
static json_t *
event(struct ingest *in, const struct in_event *ev, const char *name)
{
	char buf[TIMEFMT_SIZE];
	json_t *o;

	o = json_pack("{s:s, s:s, s:s, s:s}", "event", name, "id", ev->id,
	    "channel", chan_name(ev->chan), "time",
	    timefmt_rfc3339(ev->time > 0 ? ev->time : in->now, buf));
	if (ev->pid != NULL)
		json_object_set_new(o, "pid", json_string(ev->pid));
	json_array_append_new(in->out, o);
	return o;	/* borrowed from in->out */
}

static void
set_string(json_t *o, const char *key, const char *s)
{
	if (s != NULL)
		json_object_set_new(o, key, json_string(s));
}

/* The language to answer ev's sender in. */
static const char *
language(const struct in_event *ev, const json_t *rec)
{
	const char *lang = jsonl_string(rec, "lang");

	if (lang == NULL && ev->lang != NULL && strlen(ev->lang) >= 2)
		lang = ev->lang;
	return lang;
}

static int
answer(struct ingest *in, struct txn *tx, const char *id, const char *lang,
    enum text_id text, const char *body, int prio)
{
	char l[3] = { 0 };

	if (in->replay)
		return 0;
	/* Telegram sends "de-AT"; the texts know "de". */
	if (lang != NULL)
		memcpy(l, lang, strlen(lang) >= 2 ? 2 : 0);
	if (body == NULL)
		body = conf_text(in->conf, l[0] != '\0' ? l : NULL, text);
	return outbox_queue(tx, id, conf_text_name(text), body, prio, in->now,
	    0);
}

/* Re-key every record of table that the person index gives old. */
static int
rekey(struct txn *tx, enum store_table table, enum store_index index,
    const char *old, const char *new)
{
	struct store_keys k = { NULL, NULL, 0 };
	json_t *rec;
	size_t i;
	int rc;

	rc = store_index_keys(tx, index, old, strlen(old), &k);
	for (i = 0; i < k.n && rc == 0; i++)
		if ((rc = store_get(tx, table, k.v[i], k.len[i], &rec)) == 0) {
			json_object_set_new(rec, "id", json_string(new));
			rc = store_put(tx, table, k.v[i], k.len[i], rec, 0);
			json_decref(rec);
		}
	store_keys_release(&k);
	return rc;
}

/*
 * Move a person from one ID to another: the record (unless the new one
 * exists already), the conversation and what the outbox holds for them.
 */
static int
move_person(struct txn *tx, const char *old, const char *new)
{
	const char *colon = strchr(new, ':');
	json_t *rec, *have;
	int rc;

	if ((rc = sub_get(tx, old, &rec)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	if ((rc = sub_get(tx, new, &have)) == STORE_NOTFOUND) {
		json_object_set_new(rec, "id", json_string(new));
		if (colon != NULL && strchr(colon, '.') == NULL)
			json_object_set_new(rec, "phone",
			    json_string(colon + 1));
		rc = store_put(tx, T_SUBSCRIBERS, new, strlen(new), rec, 0);
	} else if (rc == 0)
		json_decref(have);
	json_decref(rec);
	if (rc != 0 || (rc = store_del(tx, T_SUBSCRIBERS, old,
	    strlen(old))) != 0)
		return rc;
	if ((rc = rekey(tx, T_MESSAGES, I_MSG_PERSON, old, new)) != 0)
		return rc;
	return rekey(tx, T_OUTBOX, I_OUT_PERSON, old, new);
}

/*
 * The sender's record, created or brought up to date: name, phone,
 * alias, language, and the time of their last message.  A WhatsApp
 * person first known by BSUID moves to their phone once it is known.
 */
static int
touch_person(struct txn *tx, const struct in_event *ev, time_t now,
    json_t **recp)
{
	json_t *rec, *last;
	char *alias_id;
	time_t when;
	int rc;

	rc = sub_get(tx, ev->id, &rec);
	if (rc == STORE_NOTFOUND && ev->alias != NULL &&
	    in_make_id(ev->chan, ev->alias, &alias_id) == 0) {
		rc = move_person(tx, alias_id, ev->id);
		free(alias_id);
		if (rc != 0)
			return rc;
		rc = sub_get(tx, ev->id, &rec);
	}
	if (rc == STORE_NOTFOUND)
		rec = json_pack("{s:i, s:s, s:s, s:s, s:I, s:s}", "v", 1,
		    "id", ev->id, "channel", chan_name(ev->chan),
		    "state", "stopped", "changed", (json_int_t)now,
		    "source", "message");
	else if (rc != 0)
		return rc;
	set_string(rec, "name", ev->name);
	set_string(rec, "phone", ev->phone);
	set_string(rec, "alias", ev->alias);
	if (ev->lang != NULL && jsonl_string(rec, "lang") == NULL &&
	    strlen(ev->lang) >= 2)
		json_object_set_new(rec, "lang", json_stringn(ev->lang, 2));
	/* Some items (a Telegram button) come without a time: now, then. */
	when = ev->time > 0 ? ev->time : now;
	last = json_object_get(rec, "last_inbound");
	if (!json_is_integer(last) || json_integer_value(last) < when)
		json_object_set_new(rec, "last_inbound", json_integer(when));
	rc = store_put(tx, T_SUBSCRIBERS, ev->id, strlen(ev->id), rec, 0);
	if (rc == 0)
		*recp = rec;
	else
		json_decref(rec);
	return rc;
}

static int
store_message(struct txn *tx, struct ingest *in, const struct in_event *ev,
    enum kw_intent k)
{
	unsigned char key[8];
	uint64_t seq;
	json_t *m;
	int rc;

	if ((rc = store_next_seq(tx, "messages", &seq)) != 0)
		return rc;
	store_be64(seq, key);
	m = json_pack("{s:i, s:I, s:s, s:s, s:s, s:I, s:I, s:s}", "v", 1,
	    "seq", (json_int_t)seq, "id", ev->id, "dir", "in", "type",
	    ev->type != NULL ? ev->type : "other", "time", (json_int_t)ev->time,
	    "stored", (json_int_t)in->now, "pid", ev->pid);
	set_string(m, "text", ev->text);
	set_string(m, "payload", ev->payload);
	if (ev->edited)
		json_object_set_new(m, "edited", json_true());
	if (k != KW_NONE)
		json_object_set_new(m, "keyword",
		    json_string(kw_intent_name(k)));
	rc = store_put(tx, T_MESSAGES, key, sizeof(key), m, 0);
	json_decref(m);
	return rc;
}

/* What a message asks for: Get Started, then payload, then text. */
static enum kw_intent
intent(const struct ingest *in, const struct in_event *ev)
{
	const char *gs = in->conf->chan[ev->chan].get_started;
	enum kw_intent k = KW_NONE;

	if (ev->edited || ev->type == NULL)
		return KW_NONE;
	if (strcmp(ev->type, "text") != 0 && strcmp(ev->type, "postback") &&
	    strcmp(ev->type, "button") != 0 &&
	    strcmp(ev->type, "interactive") != 0)
		return KW_NONE;
	if (strcmp(ev->type, "postback") == 0 && ev->payload != NULL &&
	    gs != NULL && strcmp(ev->payload, gs) == 0)
		return KW_SUBSCRIBE;
	if (ev->payload != NULL)
		k = kw_match(ev->payload, strlen(ev->payload));
	if (k == KW_NONE && ev->text != NULL)
		k = kw_match(ev->text, strlen(ev->text));
	return k;
}

static int
on_erase(struct txn *tx, struct ingest *in, const struct in_event *ev)
{
	struct erase_counts counts;
	const char *lang = NULL;
	char l[4] = { 0 };
	json_t *rec = NULL;
	int rc;

	if ((rc = sub_get(tx, ev->id, &rec)) != 0 && rc != STORE_NOTFOUND)
		return rc;
	if ((lang = language(ev, rec)) != NULL)
		(void)strlcpy(l, lang, sizeof(l));
	json_decref(rec);
	if ((rc = erase_person(tx, ev->id, in->now, &counts)) != 0)
		return rc;
	/* The confirmation is the only trace left, until it is sent. */
	if ((rc = answer(in, tx, ev->id, l[0] != '\0' ? l : NULL, TEXT_ERASED,
	    NULL, 0)) != 0)
		return rc;
	event(in, ev, "erase");
	return 0;
}

static int
on_message(struct txn *tx, struct ingest *in, const struct in_event *ev)
{
	unsigned char key[8];
	size_t klen = sizeof(key);
	enum kw_intent k;
	json_t *rec, *dup, *all, *o;
	char *summary;
	int rc, was;

	/* A platform's retry of something already stored. */
	rc = store_index_get(tx, I_MSG_PID, ev->pid, strlen(ev->pid), key,
	    &klen, &dup);
	if (rc == 0) {
		json_decref(dup);
		return 0;
	}
	if (rc != STORE_NOTFOUND)
		return rc;
	if ((k = intent(in, ev)) == KW_ERASE)
		return on_erase(tx, in, ev);
	if ((rc = touch_person(tx, ev, in->now, &rec)) != 0)
		return rc;
	if ((rc = store_message(tx, in, ev, k)) != 0)
		goto out;
	switch (k) {
	case KW_SUBSCRIBE:
		rc = sub_add(tx, ev->id, "message", in->now, &was);
		if (rc == 0)
			rc = answer(in, tx, ev->id, language(ev, rec),
			    TEXT_WELCOME, NULL, 1);
		o = event(in, ev, "subscribe");
		break;
	case KW_UNSUBSCRIBE:
		rc = sub_set_state(tx, ev->id, SUB_STOPPED, in->now);
		if (rc == 0)
			rc = answer(in, tx, ev->id, language(ev, rec),
			    TEXT_GOODBYE, NULL, 1);
		o = event(in, ev, "unsubscribe");
		break;
	case KW_MYDATA:
		if ((rc = person_collect(tx, ev->id, &all)) == 0) {
			summary = texts_mydata(in->conf, language(ev, rec),
			    all);
			rc = answer(in, tx, ev->id, language(ev, rec),
			    TEXT_MYDATA, summary, 1);
			free(summary);
		}
		json_decref(all);
		o = event(in, ev, "message");
		break;
	case KW_HELP:
		rc = answer(in, tx, ev->id, language(ev, rec), TEXT_HELP, NULL,
		    1);
		o = event(in, ev, "message");
		break;
	default:
		/* A chat message waits for the city's answer (hb-reply). */
		if (!json_is_integer(json_object_get(rec, "unanswered"))) {
			json_object_set_new(rec, "unanswered",
			    json_integer(ev->time));
			rc = store_put(tx, T_SUBSCRIBERS, ev->id,
			    strlen(ev->id), rec, 0);
		}
		o = event(in, ev, "message");
		break;
	}
	set_string(o, "type", ev->type);
	set_string(o, "text", ev->text);
	set_string(o, "name", jsonl_string(rec, "name"));
	if (k != KW_NONE)
		json_object_set_new(o, "keyword", json_string(kw_intent_name(k)));
out:
	json_decref(rec);
	return rc;
}

/* Delivery states in their order; "failed" is final. */
static int
rank(const char *state)
{
	static const char *const order[] = { "sent", "delivered", "read" };
	size_t i;

	for (i = 0; state != NULL && i < 3; i++)
		if (strcmp(state, order[i]) == 0)
			return i + 1;
	return 0;
}

/*
 * Move a delivery or outbound message record on to status; statuses
 * arrive out of order and twice, so only ever forward.  1 if changed.
 */
static int
advance(json_t *rec, const char *status, time_t when)
{
	const char *cur = jsonl_string(rec, "state");
	char at[32];

	if (cur != NULL && strcmp(cur, "failed") == 0)
		return 0;
	if (strcmp(status, "failed") != 0 && rank(status) <= rank(cur))
		return 0;
	json_object_set_new(rec, "state", json_string(status));
	(void)snprintf(at, sizeof(at), "%s_at", status);
	json_object_set_new(rec, at, json_integer(when));
	return 1;
}

/* Update the record (of table, found by index and ref) a notice is about. */
static int
advance_by_ref(struct txn *tx, enum store_index index, enum store_table table,
    const struct in_event *ev)
{
	unsigned char key[HB_ID_MAX + 16];
	size_t klen = sizeof(key);
	json_t *rec;
	int rc;

	rc = store_index_get(tx, index, ev->ref, strlen(ev->ref), key, &klen,
	    &rec);
	if (rc != 0)
		return rc;
	if (advance(rec, ev->status, ev->time))
		rc = store_put(tx, table, key, klen, rec, 0);
	json_decref(rec);
	return rc;
}

/* A watermark: everything sent to the person up to then. */
struct watermark {
	const struct in_event *ev;
	struct store_keys keys;
};

static int
below_watermark(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct watermark *w = arg;
	json_t *sent = json_object_get(rec, "sent_at");
	const char *dir = jsonl_string(rec, "dir");

	if ((dir == NULL || strcmp(dir, "out") == 0) && json_is_integer(sent) &&
	    json_integer_value(sent) <= w->ev->watermark &&
	    rank(jsonl_string(rec, "state")) < rank(w->ev->status))
		store_keys_add(&w->keys, key, klen);
	return 0;
}

static int
advance_watermark(struct txn *tx, enum store_index index,
    enum store_table table, const struct in_event *ev)
{
	struct watermark w = { ev, { NULL, NULL, 0 } };
	json_t *rec;
	size_t i;
	int rc;

	rc = store_index_each(tx, index, ev->id, strlen(ev->id), 0,
	    below_watermark, &w);
	for (i = 0; i < w.keys.n && rc == 0; i++)
		if ((rc = store_get(tx, table, w.keys.v[i], w.keys.len[i],
		    &rec)) == 0) {
			if (advance(rec, ev->status, ev->time))
				rc = store_put(tx, table, w.keys.v[i],
				    w.keys.len[i], rec, 0);
			json_decref(rec);
		}
	store_keys_release(&w.keys);
	return rc;
}

/* Meta's codes for "this person cannot be reached" (platforms.md §1.5). */
#define WA_UNDELIVERABLE	131026

static int
on_status(struct txn *tx, struct ingest *in, const struct in_event *ev)
{
	json_t *o;
	int rc;

	if (ev->ref != NULL) {
		rc = advance_by_ref(tx, I_DLV_PID, T_DELIVERIES, ev);
		if (rc == STORE_NOTFOUND)
			rc = advance_by_ref(tx, I_MSG_PID, T_MESSAGES, ev);
	} else {
		rc = advance_watermark(tx, I_DLV_PERSON, T_DELIVERIES, ev);
		if (rc == 0)
			rc = advance_watermark(tx, I_MSG_PERSON, T_MESSAGES, ev);
	}
	if (rc != 0 && rc != STORE_NOTFOUND)
		return rc;
	o = event(in, ev, "status");
	set_string(o, "status", ev->status);
	set_string(o, "ref", ev->ref);
	if (ev->error == WA_UNDELIVERABLE) {
		rc = sub_set_state(tx, ev->id, SUB_UNREACHABLE, in->now);
		if (rc != 0 && rc != STORE_NOTFOUND)
			return rc;
		event(in, ev, "unreachable");
	}
	return 0;
}

#define TG_OFFSET	"telegram.offset"

int
ingest_tg_offset(struct txn *tx, long long *offset)
{
	json_t *v;
	int rc;

	*offset = 0;
	rc = store_get(tx, T_META, TG_OFFSET, strlen(TG_OFFSET), &v);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc == 0) {
		*offset = json_integer_value(json_object_get(v, "n"));
		json_decref(v);
	}
	return rc;
}

int
ingest_apply(struct txn *tx, void *arg)
{
	struct ingest *in = arg;
	const struct in_event *ev;
	json_t *o;
	size_t i;
	int rc = 0;

	/* A retried transaction starts its list of events again. */
	json_array_clear(in->out);
	for (i = 0; i < in->evs->n && rc == 0; i++) {
		ev = &in->evs->v[i];
		switch (ev->kind) {
		case IN_MESSAGE:
			rc = on_message(tx, in, ev);
			break;
		case IN_STATUS:
			rc = on_status(tx, in, ev);
			break;
		case IN_BLOCKED:
			rc = sub_set_state(tx, ev->id, SUB_UNREACHABLE,
			    in->now);
			if (rc == STORE_NOTFOUND)
				rc = 0;
			else if (rc == 0)
				event(in, ev, "unreachable");
			break;
		case IN_RENUMBER:
			rc = move_person(tx, ev->id, ev->new_id);
			o = event(in, ev, "renumber");
			json_object_set_new(o, "id", json_string(ev->new_id));
			json_object_set_new(o, "old_id", json_string(ev->id));
			break;
		}
	}
	/* The offset commits with the events of the updates before it. */
	if (rc == 0 && in->tg_offset > 0) {
		o = json_pack("{s:I}", "n", (json_int_t)in->tg_offset);
		rc = store_put(tx, T_META, TG_OFFSET, strlen(TG_OFFSET), o, 0);
		json_decref(o);
	}
	return rc;
}
