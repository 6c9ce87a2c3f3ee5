/*
 * t-erase: forgetting a person (lib/erase.c): every record found
 * through the person indexes goes, others stay, and the ledger knows
 * the ID by its keyed hash only.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "ledger.h"
#include "outbox.h"
#include "person.h"
#include "store.h"
#include "sub.h"
#include "util.h"

static char dir[] = "/tmp/t-erase.XXXXXX";
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

static int
fill(struct txn *tx, void *arg)
{
	unsigned char key[8];
	uint64_t seq;
	json_t *m;
	int was, rc, i;

	(void)arg;
	for (i = 0; i < 2; i++) {
		const char *id = i == 0 ? "telegram:1" : "telegram:2";

		if ((rc = sub_add(tx, id, "admin", 1, &was)) != 0 ||
		    (rc = outbox_queue(tx, id, "welcome", "Hallo", 1, 1, 0)) != 0 ||
		    (rc = store_next_seq(tx, "messages", &seq)) != 0)
			return rc;
		be64_put(seq, key);
		m = json_pack("{s:s, s:s}", "id", id, "text", "Frage");
		rc = store_put(tx, T_MESSAGES, key, 8, m, 0);
		json_decref(m);
		if (rc != 0)
			return rc;
	}
	return 0;
}

static int
erase_one(struct txn *tx, void *arg)
{
	return person_erase(tx, "telegram:1", 100, arg);
}

static int
check(struct txn *tx, void *arg)
{
	json_t *v;
	size_t n;

	(void)arg;
	assert_int_equal(ledger_erased(tx, "telegram:1", NULL), 1);
	assert_int_equal(ledger_erased(tx, "telegram:2", NULL), 0);
	assert_int_equal(sub_get(tx, "telegram:1", &v), STORE_NOTFOUND);
	assert_int_equal(store_index_count(tx, I_MSG_PERSON, "telegram:1", 10,
	    &n), 0);
	assert_int_equal(n, 0);
	assert_int_equal(store_index_count(tx, I_OUT_PERSON, "telegram:1", 10,
	    &n), 0);
	assert_int_equal(n, 0);
	/* The other person is untouched. */
	assert_int_equal(sub_get(tx, "telegram:2", &v), 0);
	json_decref(v);
	assert_int_equal(store_index_count(tx, I_MSG_PERSON, "telegram:2", 10,
	    &n), 0);
	assert_int_equal(n, 1);
	return 0;
}

static void
test_erase(void **state)
{
	struct person_counts c;
	char path[300], buf[64];
	FILE *fp;
	size_t len;

	(void)state;
	assert_int_equal(store_run(&opts, fill, NULL), 0);
	assert_int_equal(store_run(&opts, erase_one, &c), 0);
	assert_int_equal(c.subscribers, 1);
	assert_int_equal(c.messages, 1);
	assert_int_equal(c.outbox, 1);
	assert_int_equal(store_run(&opts, check, NULL), 0);
	/* The ledger's key is a file of the store, readable by its owner. */
	(void)snprintf(path, sizeof(path), "%s/ledger.key", dir);
	assert_non_null(fp = fopen(path, "r"));
	len = fread(buf, 1, sizeof(buf), fp);
	fclose(fp);
	assert_int_equal(len, 32);
}

static void
test_erase_nobody(void **state)
{
	struct person_counts c;

	(void)state;
	/* Nothing to remove is no error; the ledger notes it all the same. */
	assert_int_equal(store_run(&opts, erase_one, &c), 0);
	assert_int_equal(c.subscribers + c.messages + c.outbox + c.deliveries,
	    0);
}

/* The exported ledger: an entry, and the same entry kept later wins. */
static int
export_check(struct txn *tx, void *arg)
{
	struct ledger_entry le, older;
	time_t when;

	(void)arg;
	assert_int_equal(ledger_hash_id(tx, "telegram:1", le.hash), 0);
	assert_int_equal(ledger_lookup(tx, le.hash, &when), 1);
	assert_int_equal(when, 100);
	older = le;
	older.when = 50;
	assert_int_equal(ledger_keep(tx, &older), 0);
	assert_int_equal(ledger_lookup(tx, le.hash, &when), 1);
	assert_int_equal(when, 100);
	le.when = 200;
	assert_int_equal(ledger_keep(tx, &le), 0);
	assert_int_equal(ledger_erased(tx, "telegram:1", &when), 1);
	assert_int_equal(when, 200);
	return 0;
}

static void
test_ledger_export(void **state)
{
	struct ledger_entry le, back;
	char line[LEDGER_LINE_SIZE];
	size_t i;
	static const char *const bad[] = {
		"", "abc\t2026-12-06T15:39:31Z",
		"371a212117fcc287ba263ec1207f7e0837fc08335453b4e4e7068c769aba6c4"
		"\t2026-12-06T15:39:31Z",
		"371A212117FCC287BA263EC1207F7E0837FC08335453B4E4E7068C769ABA6C43"
		"\t2026-12-06T15:39:31Z",
		"371a212117fcc287ba263ec1207f7e0837fc08335453b4e4e7068c769aba6c43"
		" 2026-12-06T15:39:31Z",
		"371a212117fcc287ba263ec1207f7e0837fc08335453b4e4e7068c769aba6c43"
		"\tyesterday",
		"{\"hash\": 1, \"time\": \"2026-12-06T15:39:31Z\"}",
	};

	(void)state;
	assert_int_equal(store_run(&opts, erase_one, &(struct person_counts){ 0 }),
	    0);
	assert_int_equal(store_run(&opts, export_check, NULL), 0);
	memset(le.hash, 0xa5, sizeof(le.hash));
	le.hash[0] = 0x01;
	le.when = 1796571571;
	ledger_format(&le, line);
	assert_string_equal(line + 64, "\t2026-12-06T15:39:31Z");
	assert_int_equal(strncmp(line, "01a5a5", 6), 0);
	assert_int_equal(ledger_parse(line, &back), 0);
	assert_memory_equal(le.hash, back.hash, sizeof(le.hash));
	assert_int_equal(back.when, le.when);
	assert_int_equal(ledger_parse("{\"hash\": \"01a5a5a5a5a5a5a5a5a5a5a5a5a5"
	    "a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5a5\", \"time\": "
	    "\"2026-12-06T16:39:31+01:00\"}", &back), 0);
	assert_memory_equal(le.hash, back.hash, sizeof(le.hash));
	assert_int_equal(back.when, le.when);
	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (ledger_parse(bad[i], &back) != -1)
			fail_msg("took '%s'", bad[i]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_erase),
		cmocka_unit_test(test_erase_nobody),
		cmocka_unit_test(test_ledger_export),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
