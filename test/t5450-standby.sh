#!/bin/sh
test_description='scripts/standby.sh: a warm standby that forgets whoever was erased after its backup'
. "$(dirname "$0")/test-lib.sh"

STANDBY="$TEST_DIRECTORY/../scripts/standby.sh"

test_expect_success 'setup: the primary has three subscribers' '
	hb-subscribe add telegram:801 telegram:802 telegram:803 &&
	mkdir standby
'

test_expect_success 'backup copies a whole backup and the ledger to the standby, again and again' '
	sh "$STANDBY" backup standby &&
	test -s standby/backup/backup.info &&
	test -f standby/ledger.tsv &&
	hb-subscribe add telegram:804 &&
	sh "$STANDBY" backup standby &&
	test -s standby/backup/backup.info &&
	test_must_fail test -e standby/backup.new &&
	find standby -type f ! -perm 600 >loose &&
	test_must_be_empty loose
'

test_expect_success 'an erasure after the backup reaches the standby with the ledger' '
	hb-purge erase telegram:802 >/dev/null &&
	sh "$STANDBY" ledger standby &&
	test "$(wc -l <standby/ledger.tsv)" = 1
'

test_expect_success 'takeover: the standby'"'"'s store has everyone but the erased' '
	HB_HOME=$TRASH_DIRECTORY/standby-store sh "$STANDBY" takeover standby 2>err &&
	test_grep "start hb-broadcast.timer" err &&
	hb-subscribe -d standby-store list | cut -f1 >got &&
	printf "%s\n" telegram:801 telegram:803 telegram:804 >expect &&
	test_cmp expect got
'

test_expect_success 'takeover refuses a standby without a whole backup, and a store in use' '
	mkdir empty &&
	test_expect_code 66 sh "$STANDBY" takeover empty 2>err &&
	test_grep "no whole backup" err &&
	test_expect_code 73 env HB_HOME="$TRASH_DIRECTORY/standby-store" \
	    sh "$STANDBY" takeover standby 2>/dev/null &&
	test_expect_code 64 sh "$STANDBY" backup 2>/dev/null
'

test_done
