/*
 * hb-test-due: make every deferred delivery and outbox entry due now, as
 * if their backoff had passed, so that tests of retries need not wait.
 *
 * usage: hb-test-due
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "cli.h"
#include "hb.h"
#include "log.h"
#include "store.h"

static int
collect(const void *key, size_t klen, json_t *rec, void *arg)
{
	if (json_integer_value(json_object_get(rec, "prio")) > 1)
		return STORE_STOP;	/* claimed by a sender */
	store_keys_add(arg, key, klen);
	return 0;
}

static int
due_now(struct txn *tx, enum store_index ix, enum store_table t)
{
	unsigned char from[9] = { 0 };
	struct store_keys keys = { NULL, NULL, 0 };
	json_t *rec;
	size_t i;
	int rc;

	rc = store_index_each(tx, ix, from, sizeof(from), STORE_RANGE,
	    collect, &keys);
	for (i = 0; i < keys.n && rc == 0; i++)
		if ((rc = store_get(tx, t, keys.v[i], keys.len[i],
		    &rec)) == 0) {
			json_object_set_new(rec, "due", json_integer(time(NULL)));
			rc = store_put(tx, t, keys.v[i], keys.len[i], rec, 0);
			json_decref(rec);
		}
	store_keys_release(&keys);
	return rc;
}

static int
all_due(struct txn *tx, void *arg)
{
	int rc;

	(void)arg;
	if ((rc = due_now(tx, I_DLV_DUE, T_DELIVERIES)) != 0)
		return rc;
	return due_now(tx, I_OUT_DUE, T_OUTBOX);
}

static void
usage(int status)
{
	fprintf(stderr, "usage: hb-test-due\n");
	exit(status);
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	int rc;

	cli_init(&cli, argv[0]);
	if (argc != 1)
		usage(EX_USAGE);
	if ((rc = cli_configure(&cli)) != 0)
		return rc;
	rc = cli_status(store_run(&cli.store, all_due, NULL));
	cli_release(&cli);
	return rc;
}
