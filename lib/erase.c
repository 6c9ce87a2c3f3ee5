/* erase.c: forgetting a person; see erase.h. */
#include <sys/random.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <nettle/hmac.h>

#include "erase.h"
#include "revoke.h"
#include "log.h"
#include "xalloc.h"

#define KEY_SIZE	32

/*
 * The installation's ledger key: read it, or make it on first use.  It
 * never leaves the machine; without it a ledger entry names nobody.
 */
static int
ledger_key(struct txn *tx, unsigned char key[KEY_SIZE])
{
	char path[PATH_MAX];
	ssize_t n;
	int fd;

	(void)snprintf(path, sizeof(path), "%s/ledger.key", store_home(tx));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, key, KEY_SIZE);
		close(fd);
		if (n == KEY_SIZE)
			return 0;
		return log_errorx("store: '%s' is damaged", path);
	}
	if (errno != ENOENT)
		return log_error("store: '%s'", path);
	if (getrandom(key, KEY_SIZE, 0) != KEY_SIZE)
		return log_error("getrandom");
	if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		return log_error("store: '%s'", path);
	if (write(fd, key, KEY_SIZE) != KEY_SIZE || fsync(fd) == -1) {
		close(fd);
		unlink(path);
		return log_error("store: '%s'", path);
	}
	close(fd);
	return 0;
}

static int
ledger_hash(struct txn *tx, const char *id, unsigned char out[32])
{
	unsigned char key[KEY_SIZE];
	struct hmac_sha256_ctx mac;
	int rc;

	if ((rc = ledger_key(tx, key)) != 0)
		return rc;
	hmac_sha256_set_key(&mac, KEY_SIZE, key);
	hmac_sha256_update(&mac, strlen(id), (const uint8_t *)id);
	hmac_sha256_digest(&mac, SHA256_DIGEST_SIZE, out);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(&mac, sizeof(mac));
	return 0;
}

/* Delete every record of table whose person index gives id. */
static int
delete_all(struct txn *tx, enum store_table table, enum store_index index,
    const char *id, size_t *count)
{
	struct store_keys k = { NULL, NULL, 0 };
	size_t i;
	int rc;

	rc = store_index_keys(tx, index, id, strlen(id), &k);
	for (i = 0; i < k.n && rc == 0; i++)
		rc = store_del(tx, table, k.v[i], k.len[i]);
	*count = rc == 0 ? k.n : 0;
	store_keys_release(&k);
	return rc;
}

int
erase_records(struct txn *tx, const char *id, struct erase_counts *c)
{
	int rc;

	memset(c, 0, sizeof(*c));
	/* Before the commit: a sender at work drops what it holds of them. */
	if (revoke_note(store_home(tx)) == -1)
		return -1;
	rc = store_del(tx, T_SUBSCRIBERS, id, strlen(id));
	if (rc != 0 && rc != STORE_NOTFOUND)
		return rc;
	c->subscribers = rc == 0;
	if ((rc = delete_all(tx, T_MESSAGES, I_MSG_PERSON, id,
	    &c->messages)) != 0 ||
	    (rc = delete_all(tx, T_DELIVERIES, I_DLV_PERSON, id,
	    &c->deliveries)) != 0)
		return rc;
	return delete_all(tx, T_OUTBOX, I_OUT_PERSON, id, &c->outbox);
}

int
erase_person(struct txn *tx, const char *id, time_t now,
    struct erase_counts *c)
{
	unsigned char hash[32];
	json_t *v;
	int rc;

	if ((rc = erase_records(tx, id, c)) != 0 ||
	    (rc = ledger_hash(tx, id, hash)) != 0)
		return rc;
	v = json_pack("{s:I}", "time", (json_int_t)now);
	rc = store_put(tx, T_LEDGER, hash, sizeof(hash), v, 0);
	json_decref(v);
	return rc;
}

int
erase_ledgered(struct txn *tx, const char *id)
{
	unsigned char hash[32];
	json_t *v;
	int rc;

	if ((rc = ledger_hash(tx, id, hash)) != 0)
		return rc;
	rc = store_get(tx, T_LEDGER, hash, sizeof(hash), &v);
	if (rc == 0)
		json_decref(v);
	return rc == 0 ? 1 : rc == STORE_NOTFOUND ? 0 : rc;
}
