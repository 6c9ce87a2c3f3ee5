/*
 * t-spool: the spool's protocol (lib/spool.c): a body is pending until
 * committed; withdrawing works only before a claim; a claim can be
 * handed back; what a dead process claimed is claimed again.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "spool.h"
#include "util.h"

static char home[] = "/tmp/t-spool.XXXXXX";

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(home) == NULL ? -1 : 0;
}

static int
teardown(void **state)
{
	(void)state;
	return rmtree(home);
}

/* Spool a Telegram update from chat id; its path into path. */
static void
put(int id, char *path, size_t sz)
{
	char body[256];

	(void)snprintf(body, sizeof(body), "{\"update_id\":%d,\"message\":{"
	    "\"message_id\":1,\"date\":1,\"chat\":{\"id\":%d,\"type\":"
	    "\"private\"},\"text\":\"Start\"}}", id, id);
	assert_int_equal(spool_put(home, CHAN_TELEGRAM, body, strlen(body),
	    path, sz), 0);
}

static void
test_withdraw_before_claim(void **state)
{
	char a[512];

	(void)state;
	put(1, a, sizeof(a));
	assert_true(spool_pending(a));
	assert_int_equal(spool_withdraw(a), 0);
	assert_false(spool_pending(a));
}

static void
test_claim_commit(void **state)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim c;
	char a[512], b[512];

	(void)state;
	put(2, a, sizeof(a));
	put(3, b, sizeof(b));
	assert_int_equal(spool_claim(home, 10, &evs, &c), 0);
	assert_int_equal(c.n, 2);
	assert_int_equal(evs.n, 2);
	/* Claimed: its owner can no longer withdraw it, and must wait. */
	assert_int_equal(spool_withdraw(a), 1);
	assert_true(spool_pending(a));
	spool_done(&c);
	/* Committed: no longer pending. */
	assert_false(spool_pending(a));
	assert_false(spool_pending(b));
	in_events_release(&evs);
}

static void
test_unclaim(void **state)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim c;
	char a[512];

	(void)state;
	put(4, a, sizeof(a));
	assert_int_equal(spool_claim(home, 10, &evs, &c), 0);
	spool_unclaim(&c);
	/* Handed back: waiting again, so withdrawable. */
	assert_true(spool_pending(a));
	assert_int_equal(spool_withdraw(a), 0);
	in_events_release(&evs);
}

static void
test_dead_claim_and_limit(void **state)
{
	struct in_events evs = { NULL, 0 };
	struct spool_claim c, again;
	char a[512], b[512], tmp[600];
	FILE *fp;

	(void)state;
	put(5, a, sizeof(a));
	put(6, b, sizeof(b));
	/* Half a body under its temporary name is nobody's to claim. */
	(void)snprintf(tmp, sizeof(tmp), "%s/spool/tmp.99", home);
	assert_non_null(fp = fopen(tmp, "w"));
	fputs("{\"update_", fp);
	fclose(fp);
	assert_int_equal(spool_claim(home, 1, &evs, &c), 0);
	assert_int_equal(c.n, 1);
	/* The claimer dies: its claim stays; the next holder takes it. */
	free(c.paths[0]);
	free(c.paths);
	assert_int_equal(spool_claim(home, 10, &evs, &again), 0);
	assert_int_equal(again.n, 2);
	assert_int_equal(evs.n, 3);
	spool_done(&again);
	assert_false(spool_pending(a));
	assert_false(spool_pending(b));
	assert_int_equal(access(tmp, F_OK), 0);
	in_events_release(&evs);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_withdraw_before_claim),
		cmocka_unit_test(test_claim_commit),
		cmocka_unit_test(test_unclaim),
		cmocka_unit_test(test_dead_claim_and_limit),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}
