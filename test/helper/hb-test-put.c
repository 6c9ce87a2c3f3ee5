/*
 * hb-test-put: write records into a table of the store, for tests of
 * programs that read what another program (not yet there, or hard to
 * drive) writes.  Records are JSON Lines on stdin.
 *
 * usage: hb-test-put table <records
 *
 * Tables and their keys: deliveries (8 bytes of "bc", default 1, then
 * "id"), messages and outbox (the next sequence number).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "jsonl.h"
#include "log.h"
#include "store.h"

struct put {
	const char *table;
	json_t	*recs;
};

static int
put_all(struct txn *tx, void *arg)
{
	struct put *p = arg;
	unsigned char key[8 + 200];
	const char *id;
	uint64_t seq;
	size_t i, klen;
	json_t *rec;
	int rc;

	json_array_foreach(p->recs, i, rec) {
		json_object_set_new(rec, "v", json_integer(1));
		if (strcmp(p->table, "deliveries") == 0) {
			id = jsonl_string(rec, "id");
			be64_put(json_is_integer(json_object_get(rec, "bc")) ?
			    json_integer_value(json_object_get(rec, "bc")) : 1,
			    key);
			klen = strlen(id);
			memcpy(key + 8, id, klen);
			rc = store_put(tx, T_DELIVERIES, key, 8 + klen, rec, 0);
		} else {
			if ((rc = store_next_seq(tx, p->table, &seq)) != 0)
				return rc;
			be64_put(seq, key);
			rc = store_put(tx, strcmp(p->table, "outbox") == 0 ?
			    T_OUTBOX : T_MESSAGES, key, 8, rec, 0);
		}
		if (rc != 0)
			return rc;
	}
	return 0;
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	struct put p;
	char line[65536], err[256];
	json_t *rec;
	int rc;

	cli_init(&cli, argv[0]);
	if (argc != 2 || (strcmp(argv[1], "deliveries") != 0 &&
	    strcmp(argv[1], "messages") != 0 && strcmp(argv[1], "outbox") != 0))
		return log_errorx("usage: hb-test-put deliveries|messages|"
		    "outbox <records"), 64;
	if ((rc = cli_configure(&cli)) != 0)
		return rc;
	p.table = argv[1];
	p.recs = json_array();
	while (fgets(line, sizeof(line), stdin) != NULL) {
		if ((rec = jsonl_parse_object(line, strlen(line), err,
		    sizeof(err))) == NULL)
			return log_errorx("%s", err), 65;
		json_array_append_new(p.recs, rec);
	}
	rc = store_run(&cli.store, put_all, &p);
	json_decref(p.recs);
	cli_release(&cli);
	return cli_status(rc);
}
