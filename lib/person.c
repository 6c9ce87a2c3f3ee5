/* person.c: everything stored about one person; see person.h. */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "delivery.h"
#include "hb.h"
#include "jsonl.h"
#include "ledger.h"
#include "msg.h"
#include "outbox.h"
#include "person.h"
#include "revoke.h"
#include "sub.h"
#include "timefmt.h"
#include "xalloc.h"

/*
 * Every table that holds records of a person, besides the subscriber
 * record: a new one is a line here, and showing, moving and erasing
 * a person take it in.
 */
static const struct part {
	const char *name;
	size_t	 count;		/* its member of struct person_counts */
	int	(*each)(struct txn *, const char *id, store_each_fn, void *);
	int	(*move)(struct txn *, const char *old, const char *new);
	int	(*erase)(struct txn *, const char *id, size_t *n);
} parts[] = {
	{ "messages", offsetof(struct person_counts, messages),
	    msg_each_of, msg_move, msg_erase },
	{ "deliveries", offsetof(struct person_counts, deliveries),
	    delivery_each_of, delivery_move, delivery_erase },
	{ "outbox", offsetof(struct person_counts, outbox),
	    outbox_each_of, outbox_move, outbox_erase },
};

#define NPARTS	(sizeof(parts) / sizeof(parts[0]))

/* Is member a time, stored as Unix seconds? */
static int
is_time(const char *member)
{
	size_t n = strlen(member);

	return strcmp(member, "time") == 0 || strcmp(member, "stored") == 0 ||
	    strcmp(member, "created") == 0 || strcmp(member, "due") == 0 ||
	    (n > 3 && strcmp(member + n - 3, "_at") == 0);
}

/* A record as a person reads it: no version, times in RFC 3339. */
static int
collect(const void *key, size_t klen, json_t *rec, void *arg)
{
	char buf[TIMEFMT_SIZE];
	const char *member;
	json_t *copy = json_deep_copy(rec), *v;

	json_object_del(copy, "v");
	json_object_foreach(copy, member, v)
		if (json_is_integer(v) && is_time(member))
			json_object_set_new(copy, member, json_string(
			    timefmt_rfc3339(json_integer_value(v), buf)));
	json_array_append_new(arg, copy);
	return 0;
}

int
person_collect(struct txn *tx, const char *id, json_t **all)
{
	json_t *rec, *a;
	size_t i;
	int rc;

	*all = NULL;
	if ((rc = sub_get(tx, id, &rec)) != 0)
		return rc;
	*all = json_pack("{s:o}", "subscriber", sub_export(rec));
	json_decref(rec);
	for (i = 0; i < NPARTS; i++) {
		a = json_array();
		json_object_set_new(*all, parts[i].name, a);
		if ((rc = parts[i].each(tx, id, collect, a)) != 0)
			return rc;
	}
	return 0;
}

int
person_move(struct txn *tx, const char *old, const char *new)
{
	size_t i;
	int rc;

	if ((rc = sub_move(tx, old, new)) != 0)
		return rc;
	for (i = 0; i < NPARTS && rc == 0; i++)
		rc = parts[i].move(tx, old, new);
	return rc;
}

int
person_forget(struct txn *tx, const char *id, struct person_counts *c)
{
	size_t i;
	int rc;

	memset(c, 0, sizeof(*c));
	/* Before the commit: a sender at work drops what it holds of them. */
	if (revoke_note(store_home(tx)) == -1)
		return -1;
	if ((rc = sub_delete(tx, id)) != 0 && rc != STORE_NOTFOUND)
		return rc;
	c->subscribers = rc == 0;
	for (i = 0, rc = 0; i < NPARTS && rc == 0; i++)
		rc = parts[i].erase(tx, id, (size_t *)((char *)c +
		    parts[i].count));
	return rc;
}

int
person_erase(struct txn *tx, const char *id, time_t now,
    struct person_counts *c)
{
	char other[HB_ID_MAX + 1];
	const char *alias;
	json_t *rec = NULL;
	int rc, n;

	/* Known by a second ID too (WhatsApp's BSUID): ledger both. */
	other[0] = '\0';
	if ((rc = sub_get(tx, id, &rec)) == 0 &&
	    (alias = jsonl_string(rec, "alias")) != NULL) {
		n = snprintf(other, sizeof(other), "%.*s:%s",
		    (int)strcspn(id, ":"), id, alias);
		if (n < 0 || (size_t)n >= sizeof(other))
			other[0] = '\0';
	}
	json_decref(rec);
	if (rc != 0 && rc != STORE_NOTFOUND)
		return rc;
	if ((rc = person_forget(tx, id, c)) != 0 ||
	    (rc = ledger_add(tx, id, now)) != 0)
		return rc;
	return other[0] != '\0' ? ledger_add(tx, other, now) : 0;
}

/* Labels of the "Meine Daten" answer. */
enum label { L_ACCOUNT, L_NAME, L_PHONE, L_STATE, L_SINCE, L_MESSAGES,
    L_RECEIVED, L_READ, L_ERASE, L_ACTIVE, L_STOPPED, L_UNREACHABLE,
    L_PENDING, L_COUNT };

static const char *const labels_de[L_COUNT] = {
	"Konto", "Name", "Telefon", "Status", "seit", "Ihre Nachrichten an uns",
	"Mitteilungen an Sie", "davon gelesen",
	"Mit \"Alle Daten löschen\" löschen wir alles.",
	"angemeldet", "nicht angemeldet", "nicht erreichbar", "unbestätigt",
};
static const char *const labels_en[L_COUNT] = {
	"Account", "Name", "Phone", "State", "since", "Your messages to us",
	"Messages to you", "read",
	"Send \"Delete all data\" and we erase everything.",
	"subscribed", "not subscribed", "unreachable", "unconfirmed",
};

/* A subscriber's state in words. */
static const char *
state_words(const char *const *l, const char *state)
{
	int s = state != NULL ? sub_state_lookup(state) : -1;

	return s >= 0 ? l[L_ACTIVE + s] : state != NULL ? state : "?";
}

static size_t
count_read(const json_t *a)
{
	const char *state;
	const json_t *r;
	size_t i, n = 0;

	json_array_foreach(a, i, r)
		if ((state = jsonl_string(r, "state")) != NULL &&
		    strcmp(state, "read") == 0)
			n++;
	return n;
}

char *
person_summary(const char *intro, const char *lang, const json_t *all)
{
	const char *const *l = lang != NULL && strcmp(lang, "en") == 0 ?
	    labels_en : labels_de;
	const json_t *sub = json_object_get(all, "subscriber");
	const char *v;
	char *out, *prev;
	size_t received;

	xasprintf(&out, "%s\n%s: %s", intro,
	    l[L_ACCOUNT], jsonl_string(sub, "id"));
#define APPEND(...) do { prev = out; xasprintf(&out, __VA_ARGS__); \
	free(prev); } while (0)
	if ((v = jsonl_string(sub, "name")) != NULL)
		APPEND("%s\n%s: %s", out, l[L_NAME], v);
	if ((v = jsonl_string(sub, "phone")) != NULL)
		APPEND("%s\n%s: +%s", out, l[L_PHONE], v);
	APPEND("%s\n%s: %s", out, l[L_STATE], state_words(l,
	    jsonl_string(sub, "state")));
	if ((v = jsonl_string(sub, "since")) != NULL)
		APPEND("%s (%s %.10s)", out, l[L_SINCE], v);
	APPEND("%s\n%s: %zu", out, l[L_MESSAGES],
	    json_array_size(json_object_get(all, "messages")));
	received = json_array_size(json_object_get(all, "deliveries"));
	APPEND("%s\n%s: %zu, %s: %zu", out, l[L_RECEIVED], received,
	    l[L_READ], count_read(json_object_get(all, "deliveries")));
	APPEND("%s\n\n%s", out, l[L_ERASE]);
#undef APPEND
	return out;
}
