/* ledger.c: the erasure ledger; see ledger.h. */
#include <sys/random.h>

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>
#include <nettle/hmac.h>

#include "ledger.h"
#include "log.h"

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

	if (store_path(path, sizeof(path), store_home(tx), "ledger.key") == -1)
		return -1;
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

int
ledger_add(struct txn *tx, const char *id, time_t now)
{
	unsigned char hash[32];
	json_t *v;
	int rc;

	if ((rc = ledger_hash(tx, id, hash)) != 0)
		return rc;
	v = json_pack("{s:I}", "time", (json_int_t)now);
	rc = store_put(tx, T_LEDGER, hash, sizeof(hash), v, 0);
	json_decref(v);
	return rc;
}

int
ledger_has(struct txn *tx, const char *id)
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
