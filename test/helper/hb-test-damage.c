/*
 * hb-test-damage: damage a person's erasure-ledger entry, as a bad disk
 * block or a bug of some version would: the entry is there, but is no
 * longer a record anyone can read.  For tests of what a store that
 * cannot take one person's events does with everybody else's.
 *
 * usage: hb-test-damage id
 *
 * The store must have a ledger key (somebody was erased).  The entry is
 * JSON nested deeper than any reader takes.
 */
#include <fcntl.h>
#include <limits.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <nettle/hmac.h>

#include "cli.h"
#include "log.h"
#include "store.h"

#define DEPTH	4096

struct damage {
	const char *id;
	unsigned char key[32];
};

static int
put_damaged(struct txn *tx, void *arg)
{
	struct damage *d = arg;
	struct hmac_sha256_ctx mac;
	unsigned char hash[SHA256_DIGEST_SIZE];
	json_t *top, *o, *in;
	int i, rc;

	hmac_sha256_set_key(&mac, sizeof(d->key), d->key);
	hmac_sha256_update(&mac, strlen(d->id), (const uint8_t *)d->id);
	hmac_sha256_digest(&mac, sizeof(hash), hash);
	top = o = json_object();
	for (i = 0; i < DEPTH; i++, o = in)
		json_object_set_new(o, "time", in = json_object());
	rc = store_put(tx, T_LEDGER, hash, sizeof(hash), top, 0);
	json_decref(top);
	return rc;
}

int
main(int argc, char *argv[])
{
	struct damage d;
	struct cli cli;
	char path[PATH_MAX];
	int fd, rc;

	cli_init(&cli, argv[0]);
	if (argc != 2)
		return log_errorx("usage: hb-test-damage id"), 64;
	if ((rc = cli_configure(&cli)) != 0)
		return rc;
	d.id = argv[1];
	if (store_path(path, sizeof(path), cli.home, "ledger.key") == -1 ||
	    (fd = open(path, O_RDONLY)) == -1 ||
	    read(fd, d.key, sizeof(d.key)) != (ssize_t)sizeof(d.key))
		return log_errorx("no ledger key in '%s'", cli.home), 66;
	close(fd);
	rc = store_run(&cli.store, put_damaged, &d);
	cli_release(&cli);
	return cli_status(rc);
}
