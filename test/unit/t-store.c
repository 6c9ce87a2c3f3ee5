/*
 * t-store: the store's tables, indexes and transactions, on a real
 * Berkeley DB environment in a temporary directory.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "util.h"

#include "schema.h"
#include "store.h"
#include "sub.h"

static char dir[] = "/tmp/t-store.XXXXXX";
static struct store_opts opts;

static int
setup(void **state)
{
	(void)state;
	if (mkdtemp(dir) == NULL)
		return -1;
	opts.home = dir;
	opts.lock_wait = 5;
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmtree(dir);
}

/* Put a message record for person id with platform id pid. */
static int
put_message(struct txn *tx, const char *id, const char *pid, uint64_t *seq)
{
	unsigned char key[8];
	json_t *m;
	int rc;

	if ((rc = store_next_seq(tx, "messages", seq)) != 0)
		return rc;
	be64_put(*seq, key);
	m = json_pack("{s:i, s:s, s:s, s:s}", "v", 1, "id", id, "dir", "in",
	    "text", "Hallo");
	if (pid != NULL)
		json_object_set_new(m, "pid", json_string(pid));
	rc = store_put(tx, T_MESSAGES, key, 8, m, 0);
	json_decref(m);
	return rc;
}

static int
count_cb(const void *k, size_t kl, json_t *v, void *arg)
{
	(void)k;
	(void)kl;
	(void)v;
	(*(size_t *)arg)++;
	return 0;
}

static int
fill(struct txn *tx, void *arg)
{
	uint64_t seq;
	int was, i, rc;

	(void)arg;
	if ((rc = sub_add(tx, "telegram:1", "admin", 1000, &was)) != 0 ||
	    (rc = sub_add(tx, "telegram:2", "admin", 1000, &was)) != 0 ||
	    (rc = sub_add(tx, "whatsapp:4917012345678", "admin", 1000,
	    &was)) != 0)
		return rc;
	for (i = 0; i < 5; i++)
		if ((rc = put_message(tx, "telegram:1", NULL, &seq)) != 0)
			return rc;
	if ((rc = put_message(tx, "telegram:2", "telegram:99", &seq)) != 0)
		return rc;
	return sub_set_state(tx, "telegram:2", SUB_STOPPED, 2000);
}

static int
check(struct txn *tx, void *arg)
{
	size_t n = 0;
	json_t *v;

	(void)arg;
	/* Sequences count without gaps. */
	assert_int_equal(store_get(tx, T_META, "seq.messages", 12, &v), 0);
	assert_int_equal(json_integer_value(json_object_get(v, "n")), 6);
	json_decref(v);
	/* The person index finds a conversation without a scan. */
	assert_int_equal(store_index_each(tx, I_MSG_PERSON, "telegram:1", 10,
	    0, count_cb, &n), 0);
	assert_int_equal(n, 5);
	/* The state index follows state changes. */
	assert_int_equal(store_index_count(tx, I_SUB_STATE, "active:telegram",
	    15, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_index_count(tx, I_SUB_STATE,
	    "stopped:telegram", 16, &n), 0);
	assert_int_equal(n, 1);
	assert_int_equal(store_index_count(tx, I_SUB_STATE, "active:signal",
	    13, &n), 0);
	assert_int_equal(n, 0);
	/* Records without the member are not in the index. */
	n = 0;
	assert_int_equal(store_index_each(tx, I_MSG_PID, "", 0, STORE_RANGE,
	    count_cb, &n), 0);
	assert_int_equal(n, 1);
	return 0;
}

static void
test_tables_and_indexes(void **state)
{
	(void)state;
	assert_int_equal(store_run(&opts, fill, NULL), 0);
	/* A second session sees what the first committed. */
	assert_int_equal(store_run(&opts, check, NULL), 0);
}

static int
by_pid(struct txn *tx, void *arg)
{
	unsigned char key[8];
	size_t klen = sizeof(key);
	json_t *v;

	(void)arg;
	assert_int_equal(store_index_get(tx, I_MSG_PID, "telegram:99", 11,
	    key, &klen, &v), 0);
	assert_int_equal(klen, 8);
	assert_int_equal(be64_get(key), 6);
	assert_string_equal(json_string_value(json_object_get(v, "id")),
	    "telegram:2");
	json_decref(v);
	klen = sizeof(key);
	return store_index_get(tx, I_MSG_PID, "telegram:100", 12, key, &klen,
	    &v);
}

static void
test_index_get(void **state)
{
	(void)state;
	assert_int_equal(store_run(&opts, by_pid, NULL), STORE_NOTFOUND);
}

/* Primary keys of messages, collected during an index walk. */
struct keys {
	unsigned char k[16][8];
	size_t	 n;
};

static int
collect_cb(const void *k, size_t kl, json_t *v, void *arg)
{
	struct keys *keys = arg;

	(void)v;
	assert_int_equal(kl, 8);
	assert_true(keys->n < 16);
	memcpy(keys->k[keys->n++], k, 8);
	return 0;
}

static int
erase(struct txn *tx, void *arg)
{
	struct keys keys = { .n = 0 };
	size_t i;
	int rc;

	(void)arg;
	/* Collect first: a walk must not change the index it walks. */
	if ((rc = store_index_each(tx, I_MSG_PERSON, "telegram:1", 10, 0,
	    collect_cb, &keys)) != 0)
		return rc;
	for (i = 0; i < keys.n; i++)
		if ((rc = store_del(tx, T_MESSAGES, keys.k[i], 8)) != 0)
			return rc;
	return store_del(tx, T_SUBSCRIBERS, "telegram:1", 10);
}

static int
after_erase(struct txn *tx, void *arg)
{
	size_t n = 0;
	json_t *v;

	(void)arg;
	assert_int_equal(store_index_each(tx, I_MSG_PERSON, "telegram:1", 10,
	    0, count_cb, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_index_count(tx, I_SUB_STATE, "active:telegram",
	    15, &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(sub_get(tx, "telegram:1", &v), STORE_NOTFOUND);
	/* The others are untouched. */
	assert_int_equal(sub_get(tx, "telegram:2", &v), 0);
	json_decref(v);
	return 0;
}

static void
test_delete_removes_index_entries(void **state)
{
	(void)state;
	assert_int_equal(store_run(&opts, erase, NULL), 0);
	assert_int_equal(store_run(&opts, after_erase, NULL), 0);
}

static int
abort_work(struct txn *tx, void *arg)
{
	int was;

	(void)arg;
	assert_int_equal(sub_add(tx, "telegram:77", "admin", 1, &was), 0);
	return 42;	/* any failure aborts */
}

static int
not_there(struct txn *tx, void *arg)
{
	json_t *v;

	(void)arg;
	return sub_get(tx, "telegram:77", &v);
}

static void
test_abort(void **state)
{
	(void)state;
	assert_int_equal(store_run(&opts, abort_work, NULL), 42);
	assert_int_equal(store_run(&opts, not_there, NULL), STORE_NOTFOUND);
}

static void
test_index_keys(void **state)
{
	static const char rec[] = "{\"id\":\"telegram:1\",\"state\":\"active\","
	    "\"channel\":\"telegram\",\"due\":258,\"prio\":0}";
	void *key;
	size_t klen;

	(void)state;
	assert_int_equal(schema_index_key(&schema_indexes[I_SUB_STATE], rec,
	    sizeof(rec) - 1, &key, &klen), 0);
	assert_int_equal(klen, 15);
	assert_memory_equal(key, "active:telegram", 15);
	free(key);
	assert_int_equal(schema_index_key(&schema_indexes[I_DLV_DUE], rec,
	    sizeof(rec) - 1, &key, &klen), 0);
	assert_int_equal(klen, 9);
	assert_memory_equal(key, "\0\0\0\0\0\0\0\1\2", 9);
	free(key);
	assert_int_equal(schema_index_key(&schema_indexes[I_MSG_PID], rec,
	    sizeof(rec) - 1, &key, &klen), 1);
	assert_int_equal(schema_index_key(&schema_indexes[I_MSG_PID], "[1]",
	    3, &key, &klen), -1);
}

static void
test_be64(void **state)
{
	unsigned char a[8], b[8];

	(void)state;
	be64_put(255, a);
	be64_put(256, b);
	assert_true(memcmp(a, b, 8) < 0);
	assert_int_equal(be64_get(b), 256);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tables_and_indexes),
		cmocka_unit_test(test_index_get),
		cmocka_unit_test(test_delete_removes_index_entries),
		cmocka_unit_test(test_abort),
		cmocka_unit_test(test_index_keys),
		cmocka_unit_test(test_be64),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
