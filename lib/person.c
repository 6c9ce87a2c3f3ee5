/* person.c: everything stored about one person; see person.h. */
#include <string.h>

#include "person.h"
#include "sub.h"

/* Every table that holds records of a person, and its person index. */
static const struct {
	const char *name;
	enum store_index index;
} parts[] = {
	{ "messages", I_MSG_PERSON },
	{ "deliveries", I_DLV_PERSON },
	{ "outbox", I_OUT_PERSON },
};

static int
collect(const void *key, size_t klen, json_t *rec, void *arg)
{
	json_t *copy = json_deep_copy(rec);

	(void)key;
	(void)klen;
	json_object_del(copy, "v");
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
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		a = json_array();
		json_object_set_new(*all, parts[i].name, a);
		if ((rc = store_index_each(tx, parts[i].index, id, strlen(id),
		    0, collect, a)) != 0)
			return rc;
	}
	return 0;
}
