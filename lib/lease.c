/* lease.c: claimed work in the due indexes; see lease.h. */
#include "lease.h"

void
lease_take(json_t *rec)
{
	json_object_set(rec, "p", json_object_get(rec, "prio"));
	json_object_set_new(rec, "prio", json_integer(LEASE_PRIO));
}

void
lease_return(json_t *rec)
{
	json_t *p = json_object_get(rec, "p");

	json_object_set_new(rec, "prio", json_integer(json_is_integer(p) ?
	    json_integer_value(p) : 1));
	json_object_del(rec, "p");
}

long
lease_backoff(int tries)
{
	long s = 30L << (tries > 7 ? 7 : tries);

	return s > 3600 ? 3600 : s;
}

void
lease_reopen(json_t *rec, const char *state, const char *why, time_t due,
    int prio)
{
	json_object_set_new(rec, "state", json_string(state));
	json_object_set_new(rec, "why", json_string(why));
	json_object_set_new(rec, "due", json_integer(due));
	json_object_set_new(rec, "prio", json_integer(prio));
	json_object_del(rec, "p");
}

void
lease_close(json_t *rec, const char *state, const char *why)
{
	json_object_set_new(rec, "state", json_string(state));
	if (why != NULL)
		json_object_set_new(rec, "why", json_string(why));
	json_object_del(rec, "due");
	json_object_del(rec, "prio");
	json_object_del(rec, "p");
}

int
lease_return_all(struct txn *tx, enum store_index ix, enum store_table t)
{
	struct store_keys keys;
	json_t *rec;
	size_t i;
	int rc;

	if ((rc = store_due_keys(tx, ix, LEASE_PRIO, (time_t)1 << 62,
	    (size_t)-1, &keys)) != 0) {
		store_keys_release(&keys);
		return rc;
	}
	for (i = 0; i < keys.n && rc == 0; i++)
		if ((rc = store_get(tx, t, keys.v[i], keys.len[i],
		    &rec)) == 0) {
			lease_return(rec);
			rc = store_put(tx, t, keys.v[i], keys.len[i], rec, 0);
			json_decref(rec);
		}
	store_keys_release(&keys);
	return rc;
}
