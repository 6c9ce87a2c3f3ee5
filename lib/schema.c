/*
 * schema.c: the tables and indexes of the store.
 *
 * Every value is a compact JSON object.  Keys:
 *
 *   meta          name ("schema", "seq.NAME", "telegram.offset")
 *   subscribers   subscriber ID, "channel:address"
 *   messages      8-byte big-endian sequence number (seq.messages)
 *   broadcasts    8-byte big-endian broadcast number (seq.broadcasts)
 *   deliveries    8-byte broadcast number, then the subscriber ID
 *   outbox        8-byte big-endian sequence number (seq.outbox)
 *   ledger        keyed hash of an erased subscriber ID
 *
 * Indexes derive their key from members of the record:
 *
 *   subscribers-state   "state:channel"     list, stats, broadcast fan-out
 *   subscribers-alias   "alias"             WhatsApp's other ID (BSUID)
 *   messages-person     "id"                a conversation; erasure
 *   messages-pid        "pid"               platform id: duplicates, receipts
 *   broadcasts-due      "prio", "due"       what `run' must send
 *   deliveries-person   "id"                erasure, access requests
 *   deliveries-pid      "pid"               status notifications
 *   deliveries-due      "prio", "due"       pending and deferred sends
 *   outbox-person       "id"                erasure, access requests
 *   outbox-due          "prio", "due"       pending answers
 *
 * A record without the member is not in the index, so "due" is removed
 * once a delivery is final and the due index holds only open work.
 * Every index allows duplicate keys (sorted by primary key): a key that
 * must be unique, such as a platform's message id, is looked up with
 * store_index_get() before the write, in the same transaction.
 * Every per-person table has a person index, so erasing one person and
 * answering an access request never scan.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "be64.h"
#include "schema.h"
#include "xalloc.h"

const struct table_def schema_tables[T_COUNT] = {
	[T_META] = { "meta.db" },
	[T_SUBSCRIBERS] = { "subscribers.db" },
	[T_MESSAGES] = { "messages.db" },
	[T_BROADCASTS] = { "broadcasts.db" },
	[T_DELIVERIES] = { "deliveries.db" },
	[T_OUTBOX] = { "outbox.db" },
	[T_LEDGER] = { "ledger.db" },
};

const struct index_def schema_indexes[I_COUNT] = {
	[I_SUB_STATE] = { "subscribers-state.db", T_SUBSCRIBERS,
	    IK_STATE_CHANNEL, NULL },
	[I_SUB_ALIAS] = { "subscribers-alias.db", T_SUBSCRIBERS, IK_FIELD,
	    "alias" },
	[I_MSG_PERSON] = { "messages-person.db", T_MESSAGES, IK_FIELD,
	    "id" },
	[I_MSG_PID] = { "messages-pid.db", T_MESSAGES, IK_FIELD, "pid" },
	[I_BC_DUE] = { "broadcasts-due.db", T_BROADCASTS, IK_DUE, NULL },
	[I_DLV_PERSON] = { "deliveries-person.db", T_DELIVERIES, IK_FIELD,
	    "id" },
	[I_DLV_PID] = { "deliveries-pid.db", T_DELIVERIES, IK_FIELD,
	    "pid" },
	[I_DLV_DUE] = { "deliveries-due.db", T_DELIVERIES, IK_DUE, NULL },
	[I_OUT_PERSON] = { "outbox-person.db", T_OUTBOX, IK_FIELD, "id" },
	[I_OUT_DUE] = { "outbox-due.db", T_OUTBOX, IK_DUE, NULL },
};

static void *
copy(const char *s, size_t n)
{
	char *p = xmalloc(n);

	memcpy(p, s, n);
	return p;
}

/*
 * The record parsed, remembered: Berkeley DB asks each index of a table
 * for its key with the same record, one after the other, and parsing it
 * once instead of three times made a delivery's write a third cheaper.
 * A borrowed reference, valid until the next call.
 */
static json_t *
parsed(const void *rec, size_t len)
{
	static void *bytes;
	static size_t nbytes;
	static json_t *o;

	if (o != NULL && len == nbytes && memcmp(rec, bytes, len) == 0)
		return o;
	json_decref(o);
	free(bytes);
	bytes = NULL;
	nbytes = 0;
	if ((o = json_loadb(rec, len, 0, NULL)) != NULL) {
		bytes = copy(rec, len);
		nbytes = len;
	}
	return o;
}

void
schema_due_key(int prio, int64_t due, unsigned char k[SCHEMA_DUE_KEY])
{
	k[0] = prio < 0 ? 0 : prio > 255 ? 255 : prio;
	be64_put(due < 0 ? 0 : (uint64_t)due, k + 1);
}

int
schema_index_key(const struct index_def *ix, const void *rec, size_t len,
    void **key, size_t *klen)
{
	const char *a, *b;
	unsigned char *k;
	json_t *o, *due, *prio;
	json_int_t when, p;
	char *s;
	int rc = 1;

	if ((o = parsed(rec, len)) == NULL || !json_is_object(o))
		return -1;
	switch (ix->kind) {
	case IK_FIELD:
		if ((a = json_string_value(json_object_get(o, ix->field))) !=
		    NULL && *a != '\0') {
			*klen = strlen(a);
			*key = copy(a, *klen);
			rc = 0;
		}
		break;
	case IK_STATE_CHANNEL:
		a = json_string_value(json_object_get(o, "state"));
		b = json_string_value(json_object_get(o, "channel"));
		if (a != NULL && b != NULL) {
			*klen = xasprintf(&s, "%s:%s", a, b);
			*key = s;
			rc = 0;
		}
		break;
	case IK_DUE:
		due = json_object_get(o, "due");
		prio = json_object_get(o, "prio");
		if (json_is_integer(due)) {
			when = json_integer_value(due);
			p = json_is_integer(prio) ? json_integer_value(prio) : 1;
			k = xmalloc(SCHEMA_DUE_KEY);
			schema_due_key(p, when, k);
			*key = k;
			*klen = SCHEMA_DUE_KEY;
			rc = 0;
		}
		break;
	}
	return rc;
}
