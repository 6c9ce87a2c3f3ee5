/* person.c: everything stored about one person; see person.h. */
#include <string.h>

#include "person.h"
#include "sub.h"
#include "timefmt.h"

/* Every table that holds records of a person, and its person index. */
static const struct {
	const char *name;
	enum store_index index;
} parts[] = {
	{ "messages", I_MSG_PERSON },
	{ "deliveries", I_DLV_PERSON },
	{ "outbox", I_OUT_PERSON },
};

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

	(void)key;
	(void)klen;
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
	for (i = 0; i < sizeof(parts) / sizeof(parts[0]); i++) {
		a = json_array();
		json_object_set_new(*all, parts[i].name, a);
		if ((rc = store_index_each(tx, parts[i].index, id, strlen(id),
		    0, collect, a)) != 0)
			return rc;
	}
	return 0;
}
