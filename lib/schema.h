/*
 * schema.h: the store's tables and indexes, their files, and how each
 * index derives its key from a record (see schema.c).  The enums are
 * the store's API (store.h includes this); the rest is store.c's.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <stddef.h>
#include <stdint.h>

enum store_table {
	T_META,			/* schema version, counters, poll offsets */
	T_SUBSCRIBERS,		/* one record per person and channel */
	T_MESSAGES,		/* conversations, both directions */
	T_BROADCASTS,		/* announcements */
	T_DELIVERIES,		/* one per broadcast and recipient */
	T_OUTBOX,		/* answers and confirmations to send */
	T_LEDGER,		/* erasure ledger: keyed hashes only */
	T_COUNT
};

enum store_index {
	I_SUB_STATE,		/* "state:channel" -> subscriber IDs */
	I_SUB_ALIAS,		/* another ID of the same person -> ID */
	I_MSG_PERSON,		/* subscriber ID -> messages */
	I_MSG_PID,		/* platform message id -> message */
	I_BC_DUE,		/* priority, due time -> broadcasts */
	I_DLV_PERSON,		/* subscriber ID -> deliveries */
	I_DLV_PID,		/* platform message id -> delivery */
	I_DLV_DUE,		/* priority, due time -> deliveries */
	I_OUT_PERSON,		/* subscriber ID -> outbox entries */
	I_OUT_DUE,		/* priority, due time -> outbox entries */
	I_COUNT
};

/*
 * The due indexes: a key of 1 byte priority and 8 bytes of due time,
 * so that a walk meets priority 0 first, each in time order.
 */
#define SCHEMA_DUE_KEY	9
void	 schema_due_key(int prio, int64_t due, unsigned char[SCHEMA_DUE_KEY]);

enum ikey_kind {
	IK_FIELD,		/* the string member `field', as it is */
	IK_STATE_CHANNEL,	/* "state:channel" */
	IK_DUE			/* 1 byte "prio" (default 1), 8 bytes "due" */
};

struct table_def {
	const char *file;
};

struct index_def {
	const char *file;
	enum store_table primary;
	enum ikey_kind kind;
	const char *field;
};

extern const struct table_def schema_tables[T_COUNT];
extern const struct index_def schema_indexes[I_COUNT];

/*
 * The index key of a record (len bytes of JSON) in a malloc'd *key.
 * Returns 0, 1 when the record has no key in this index, or -1 when the
 * record is not a JSON object.
 */
int	 schema_index_key(const struct index_def *, const void *rec,
	    size_t len, void **key, size_t *klen);

#endif /* SCHEMA_H */
