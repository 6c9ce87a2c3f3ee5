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
#include "timefmt.h"

#define KEY_SIZE	32

typedef char hash_fits[LEDGER_HASH_SIZE == SHA256_DIGEST_SIZE ? 1 : -1];

static int
any_entry(const void *key, size_t klen, json_t *v, void *arg)
{
	(void)key;
	(void)klen;
	(void)v;
	*(int *)arg = 1;
	return STORE_STOP;
}

/*
 * The installation's ledger key, read once per process: 0, or 1 when
 * there is none yet (nobody was erased), unless create makes it.  It
 * never leaves the machine; without it a ledger entry names nobody, so
 * a ledger with entries and no key is LEDGER_NOKEY, never a new key.
 */
static int
ledger_key(struct txn *tx, int create, unsigned char key[KEY_SIZE])
{
	static unsigned char cached[KEY_SIZE];
	static char cached_home[PATH_MAX];
	char path[PATH_MAX];
	ssize_t n;
	int fd, rc, entries = 0;

	if (cached_home[0] != '\0' && strcmp(cached_home, store_home(tx)) == 0) {
		memcpy(key, cached, KEY_SIZE);
		return 0;
	}
	if (store_path(path, sizeof(path), store_home(tx), "ledger.key") == -1)
		return -1;
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) != -1) {
		n = read(fd, key, KEY_SIZE);
		close(fd);
		if (n != KEY_SIZE)
			return log_errorx("store: '%s' is damaged", path);
	} else if (errno != ENOENT)
		return log_error("store: '%s'", path);
	else if ((rc = store_each(tx, T_LEDGER, NULL, 0, any_entry,
	    &entries)) != 0 && rc != STORE_STOP)
		return rc;
	else if (entries) {
		log_errorx("store: '%s' is missing but the erasure ledger has "
		    "entries: restore the key with the store (hb-purge "
		    "restore); without it nobody erased is known", path);
		store_fail();	/* no body is at fault: answer 503 */
		return LEDGER_NOKEY;
	} else if (!create)
		return 1;
	else if (getrandom(key, KEY_SIZE, 0) != KEY_SIZE)
		return log_error("getrandom");
	else if ((fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC,
	    0600)) == -1)
		return log_error("store: '%s'", path);
	else if (write(fd, key, KEY_SIZE) != KEY_SIZE || fsync(fd) == -1) {
		close(fd);
		unlink(path);
		return log_error("store: '%s'", path);
	} else
		close(fd);
	memcpy(cached, key, KEY_SIZE);
	(void)strlcpy(cached_home, store_home(tx), sizeof(cached_home));
	return 0;
}

/* The ledger's key of id: 0, 1 (no ledger key yet, see above), or -1. */
static int
ledger_hash(struct txn *tx, const char *id, int create,
    unsigned char out[32])
{
	unsigned char key[KEY_SIZE];
	struct hmac_sha256_ctx mac;
	int rc;

	if ((rc = ledger_key(tx, create, key)) != 0)
		return rc;
	hmac_sha256_set_key(&mac, KEY_SIZE, key);
	hmac_sha256_update(&mac, strlen(id), (const uint8_t *)id);
	hmac_sha256_digest(&mac, SHA256_DIGEST_SIZE, out);
	explicit_bzero(key, sizeof(key));
	explicit_bzero(&mac, sizeof(mac));
	return 0;
}

int
ledger_add(struct txn *tx, const char *id, time_t when)
{
	unsigned char hash[32];
	json_t *v;
	int rc;

	if ((rc = ledger_hash(tx, id, 1, hash)) != 0)
		return rc;
	v = json_pack("{s:I}", "time", (json_int_t)when);
	rc = store_put(tx, T_LEDGER, hash, sizeof(hash), v, 0);
	json_decref(v);
	return rc;
}

int
ledger_erased(struct txn *tx, const char *id, time_t *when)
{
	unsigned char hash[32];
	json_t *v;
	int rc;

	if (when != NULL)
		*when = 0;
	if ((rc = ledger_hash(tx, id, 0, hash)) != 0)
		return rc == 1 ? 0 : rc;
	if ((rc = store_get(tx, T_LEDGER, hash, sizeof(hash), &v)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	if (when != NULL)
		*when = (time_t)json_integer_value(json_object_get(v, "time"));
	json_decref(v);
	return 1;
}

int
ledger_hash_id(struct txn *tx, const char *id,
    unsigned char hash[LEDGER_HASH_SIZE])
{
	return ledger_hash(tx, id, 0, hash);
}

int
ledger_have_key(struct txn *tx, int make)
{
	unsigned char key[KEY_SIZE];
	int rc;

	rc = ledger_key(tx, make, key);
	explicit_bzero(key, sizeof(key));
	return rc;
}

struct each {
	ledger_each_fn fn;
	void	*arg;
};

static int
each_entry(const void *key, size_t klen, json_t *v, void *arg)
{
	const struct each *e = arg;
	struct ledger_entry le;

	if (klen != LEDGER_HASH_SIZE)
		return 0;	/* not an entry of ours */
	memcpy(le.hash, key, LEDGER_HASH_SIZE);
	le.when = (time_t)json_integer_value(json_object_get(v, "time"));
	return e->fn(&le, e->arg);
}

int
ledger_each(struct txn *tx, ledger_each_fn fn, void *arg)
{
	struct each e = { fn, arg };

	return store_each(tx, T_LEDGER, NULL, 0, each_entry, &e);
}

int
ledger_lookup(struct txn *tx, const unsigned char *hash, time_t *when)
{
	json_t *v;
	int rc;

	*when = 0;
	if ((rc = store_get(tx, T_LEDGER, hash, LEDGER_HASH_SIZE, &v)) != 0)
		return rc == STORE_NOTFOUND ? 0 : rc;
	*when = (time_t)json_integer_value(json_object_get(v, "time"));
	json_decref(v);
	return 1;
}

int
ledger_keep(struct txn *tx, const struct ledger_entry *le)
{
	time_t have;
	json_t *v;
	int rc;

	if ((rc = ledger_lookup(tx, le->hash, &have)) < 0 ||
	    (rc == 1 && have >= le->when))
		return rc < 0 ? rc : 0;
	v = json_pack("{s:I}", "time", (json_int_t)le->when);
	rc = store_put(tx, T_LEDGER, le->hash, LEDGER_HASH_SIZE, v, 0);
	json_decref(v);
	return rc;
}

void
ledger_format(const struct ledger_entry *le, char buf[LEDGER_LINE_SIZE])
{
	char when[TIMEFMT_SIZE];
	size_t i;

	for (i = 0; i < LEDGER_HASH_SIZE; i++)
		(void)snprintf(buf + 2 * i, 3, "%02x", le->hash[i]);
	(void)snprintf(buf + 2 * LEDGER_HASH_SIZE, LEDGER_LINE_SIZE -
	    2 * LEDGER_HASH_SIZE, "\t%s", timefmt_rfc3339(le->when, when));
}

static int
unhex(const char *s, size_t len, unsigned char *out)
{
	static const char digits[] = "0123456789abcdef";
	const char *hi, *lo;
	size_t i;

	if (len != 2 * LEDGER_HASH_SIZE)
		return -1;
	for (i = 0; i < LEDGER_HASH_SIZE; i++) {
		if (s[2 * i] == '\0' || s[2 * i + 1] == '\0' ||
		    (hi = strchr(digits, s[2 * i])) == NULL ||
		    (lo = strchr(digits, s[2 * i + 1])) == NULL)
			return -1;
		out[i] = (unsigned char)((hi - digits) << 4 | (lo - digits));
	}
	return 0;
}

int
ledger_parse(const char *line, struct ledger_entry *le)
{
	const char *hash, *when;
	char buf[64];
	json_t *o;
	size_t n;
	int rc = -1;

	if (line[0] == '{') {
		if ((o = json_loads(line, 0, NULL)) == NULL)
			return -1;
		hash = json_string_value(json_object_get(o, "hash"));
		when = json_string_value(json_object_get(o, "time"));
		if (hash != NULL && when != NULL &&
		    unhex(hash, strlen(hash), le->hash) == 0 &&
		    timefmt_parse(when, &le->when) == 0)
			rc = 0;
		json_decref(o);
		return rc;
	}
	n = strcspn(line, "\t");
	if (line[n] != '\t' || unhex(line, n, le->hash) == -1)
		return -1;
	when = line + n + 1;
	n = strcspn(when, "\r\n");
	if (n >= sizeof(buf))
		return -1;
	memcpy(buf, when, n);
	buf[n] = '\0';
	return timefmt_parse(buf, &le->when);
}
