/*
 * schema.h: the store's files and how each index derives its key from a
 * record.  Private to store.c (and the unit tests); see schema.c.
 */
#ifndef SCHEMA_H
#define SCHEMA_H

#include <stddef.h>

#include "store.h"

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
