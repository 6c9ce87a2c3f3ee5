/* outbox.c: answers owed to citizens; see outbox.h. */
#include <stdint.h>

#include <jansson.h>

#include "outbox.h"

int
outbox_queue(struct txn *tx, const char *id, const char *kind,
    const char *text, int prio, time_t now, uint64_t msg)
{
	unsigned char key[8];
	uint64_t seq;
	json_t *rec;
	int rc;

	if ((rc = store_next_seq(tx, "outbox", &seq)) != 0)
		return rc;
	store_be64(seq, key);
	rec = json_pack("{s:i, s:s, s:s, s:s, s:I, s:I, s:i}", "v", 1,
	    "id", id, "kind", kind, "text", text, "created", (json_int_t)now,
	    "due", (json_int_t)now, "prio", prio);
	if (msg != 0)
		json_object_set_new(rec, "msg", json_integer((json_int_t)msg));
	rc = store_put(tx, T_OUTBOX, key, sizeof(key), rec, 0);
	json_decref(rec);
	return rc;
}
