/* msg.c: the messages of conversations; see msg.h. */
#include <string.h>

#include "msg.h"
#include "receipt.h"

int
msg_add(struct txn *tx, json_t *m, uint64_t *seq)
{
	int rc;

	if ((rc = store_next_seq(tx, "messages", seq)) != 0)
		return rc;
	json_object_set_new(m, "seq", json_integer((json_int_t)*seq));
	return msg_put(tx, *seq, m);
}

int
msg_get(struct txn *tx, uint64_t seq, json_t **m)
{
	return store_get_num(tx, T_MESSAGES, seq, m);
}

int
msg_put(struct txn *tx, uint64_t seq, json_t *m)
{
	return store_put_num(tx, T_MESSAGES, seq, m, 0);
}

int
msg_outcome(struct txn *tx, uint64_t seq, const char *state, const char *pid,
    const char *why, time_t now)
{
	json_t *m;
	int rc;

	if ((rc = msg_get(tx, seq, &m)) != 0)
		return rc;
	json_object_set_new(m, "state", json_string(state));
	if (pid != NULL && *pid != '\0') {
		json_object_set_new(m, "pid", json_string(pid));
		json_object_set_new(m, "sent_at", json_integer(now));
	}
	if (why != NULL && *why != '\0' && strcmp(state, "sent") != 0)
		json_object_set_new(m, "why", json_string(why));
	rc = msg_put(tx, seq, m);
	json_decref(m);
	return rc;
}

static int
withdraw(const void *key, size_t klen, json_t *m, void *arg)
{
	const time_t *when = arg;

	json_object_del(m, "text");
	json_object_del(m, "payload");
	json_object_del(m, "media");
	json_object_del(m, "location");
	json_object_del(m, "contact");
	json_object_set_new(m, "deleted", json_true());
	json_object_set_new(m, "deleted_at", json_integer(*when));
	return STORE_WRITE;
}

int
msg_withdraw(struct txn *tx, const char *pid, time_t when)
{
	size_t n;
	int rc;

	rc = store_index_change(tx, I_MSG_PID, pid, strlen(pid), withdraw,
	    &when, &n);
	return rc == 0 && n == 0 ? STORE_NOTFOUND : rc;
}

int
msg_has_pid(struct txn *tx, const char *pid)
{
	unsigned char key[8];
	size_t klen = sizeof(key);
	json_t *m;
	int rc;

	rc = store_index_get(tx, I_MSG_PID, pid, strlen(pid), key, &klen, &m);
	if (rc == 0)
		json_decref(m);
	return rc == 0 ? 1 : rc == STORE_NOTFOUND ? 0 : rc;
}

int
msg_receipt(struct txn *tx, const char *ref, const char *status, time_t when)
{
	return receipt_by_ref(tx, I_MSG_PID, ref, status, when);
}

int
msg_receipt_upto(struct txn *tx, const char *id, time_t watermark,
    const char *status, time_t when)
{
	return receipt_upto(tx, I_MSG_PERSON, id, watermark, status, when);
}

int
msg_each_after(struct txn *tx, uint64_t seq, store_each_fn fn, void *arg)
{
	unsigned char from[8];

	be64_put(seq + 1, from);
	return store_each(tx, T_MESSAGES, from, sizeof(from), fn, arg);
}

/* Messages are numbered in the order they came: oldest first. */
struct old_walk {
	time_t	 before;
	size_t	 max;
	struct store_keys keys;
};

static int
old_one(const void *key, size_t klen, json_t *m, void *arg)
{
	struct old_walk *w = arg;

	if (json_integer_value(json_object_get(m, "stored")) >= w->before ||
	    w->keys.n >= w->max)
		return STORE_STOP;
	store_keys_add(&w->keys, key, klen);
	return 0;
}

int
msg_expire(struct txn *tx, time_t before, size_t max, size_t *n)
{
	struct old_walk w = { before, max, { NULL, NULL, 0 } };
	size_t i;
	int rc;

	rc = store_each(tx, T_MESSAGES, NULL, 0, old_one, &w);
	for (i = 0; i < w.keys.n && rc == 0; i++)
		rc = store_del(tx, T_MESSAGES, w.keys.v[i], w.keys.len[i]);
	*n = rc == 0 ? w.keys.n : 0;
	store_keys_release(&w.keys);
	return rc;
}

int
msg_each_of(struct txn *tx, const char *id, store_each_fn fn, void *arg)
{
	return store_index_each(tx, I_MSG_PERSON, id, strlen(id), 0, fn, arg);
}

int
msg_move(struct txn *tx, const char *old, const char *new)
{
	return store_index_set(tx, I_MSG_PERSON, old, strlen(old), "id", new);
}

int
msg_erase(struct txn *tx, const char *id, size_t *n)
{
	return store_index_delete(tx, I_MSG_PERSON, id, strlen(id), n);
}
