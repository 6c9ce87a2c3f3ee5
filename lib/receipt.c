/* receipt.c: status notices of the city's messages; see receipt.h. */
#include <stdio.h>
#include <string.h>

#include "jsonl.h"
#include "receipt.h"

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

int
receipt_advance(json_t *rec, const char *status, time_t when)
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

struct notice {
	const char *status;
	time_t	 when, watermark;
	size_t	 found;
};

static int
by_ref(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct notice *n = arg;

	n->found++;
	return receipt_advance(rec, n->status, n->when) ? STORE_WRITE : 0;
}

int
receipt_by_ref(struct txn *tx, enum store_index ix, const char *ref,
    const char *status, time_t when)
{
	struct notice n = { status, when, 0, 0 };
	int rc;

	rc = store_index_change(tx, ix, ref, strlen(ref), by_ref, &n, NULL);
	return rc == 0 && n.found == 0 ? STORE_NOTFOUND : rc;
}

static int
below(const void *key, size_t klen, json_t *rec, void *arg)
{
	struct notice *n = arg;
	json_t *sent = json_object_get(rec, "sent_at");
	const char *dir = jsonl_string(rec, "dir");

	if ((dir == NULL || strcmp(dir, "out") == 0) && json_is_integer(sent) &&
	    json_integer_value(sent) <= n->watermark &&
	    receipt_advance(rec, n->status, n->when))
		return STORE_WRITE;
	return 0;
}

int
receipt_upto(struct txn *tx, enum store_index ix, const char *id,
    time_t watermark, const char *status, time_t when)
{
	struct notice n = { status, when, watermark, 0 };

	return store_index_change(tx, ix, id, strlen(id), below, &n, NULL);
}
