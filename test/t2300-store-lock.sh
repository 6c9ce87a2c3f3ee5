#!/bin/sh
test_description='store: the lock is waited for within limits, the watchdog ends a stuck process'
. "${0%/*}/test-lib.sh"

# holds pid inode: does pid hold the store lock right now?
holds () {
	grep -q "FLOCK .* WRITE $1 [0-9a-f:]*:$2 " /proc/locks
}

# hold_lock seconds: hold the store lock in the background, as another
# hb process would.
hold_lock () {
	mkdir -p "$HB_HOME" &&
	flock "$HB_HOME/lock" sleep "$1" &
	echo $! >holder
	until grep -q "FLOCK .* WRITE .*:$(stat -c %i "$HB_HOME/lock") " /proc/locks; do :; done
}

# inside pid ino: is pid inside the store: holding its lock (inode ino)
# with Berkeley DB's regions mapped?  Holding the lock alone is not
# enough: a process also holds it for a moment before it opens the
# store and after it has closed it.
inside () {
	holds "$1" "$2" && grep -q "/__db\.00[1-9]" "/proc/$1/maps" 2>/dev/null
}

# stop_inside pid ino: stop pid while it is inside the store: check
# again once it is stopped, as it may have left meanwhile.
stop_inside () {
	while :; do
		until inside "$1" "$2"; do :; done
		kill -STOP "$1"
		inside "$1" "$2" && break
		kill -CONT "$1"
	done
}

test_expect_success 'set up' '
	hb_write_conf "lock_wait = 1" "watchdog = 1" &&
	hb-subscribe add telegram:1
'

test_expect_success 'a store held too long exits 75 and says so' '
	hold_lock 5 &&
	test_when_finished "kill $(cat holder)" &&
	test_expect_code 75 hb-subscribe add telegram:2 2>err &&
	test_grep "is busy (waited 1 s), try again later" err &&
	hb-subscribe list | cut -f1 >ids &&
	test_must_fail grep -x telegram:2 ids
'

test_expect_success 'a store released in time is waited for' '
	hb_write_conf "lock_wait = 10" "watchdog = 1" &&
	hold_lock 1 &&
	hb-subscribe add telegram:3 &&
	hb-subscribe list | cut -f1 >ids &&
	test_grep -x telegram:3 ids
'

test_expect_success NOT_VALGRIND 'the watchdog ends a process stuck inside the store (75)' '
	seq 1000000 1100000 | sed "s/^/telegram:/" >many &&
	ino=$(stat -c %i "$HB_HOME/lock") &&
	{ hb-subscribe add <many 2>err & } &&
	pid=$! &&
	stop_inside $pid $ino &&
	sleep 2 &&
	kill -CONT $pid &&
	test_expect_code 75 wait $pid &&
	test_grep "stuck inside the store, the watchdog ends this process" err
'

test_expect_success 'the next process recovers the store' '
	hb-subscribe list >out 2>err &&
	test_must_fail test -s err &&
	test_grep "^telegram:1	" out &&
	test_store_verify
'

test_expect_success NOT_VALGRIND 'a full disk inside the store (SIGBUS) exits 75, not by the signal' '
	hb_write_conf "lock_wait = 10" "watchdog = 30" &&
	seq 2000000 2100000 | sed "s/^/telegram:/" >many &&
	ino=$(stat -c %i "$HB_HOME/lock") &&
	{ hb-subscribe add <many 2>err & } &&
	pid=$! &&
	stop_inside $pid $ino &&
	kill -BUS $pid &&
	kill -CONT $pid &&
	test_expect_code 75 wait $pid &&
	test_grep "the disk is full, the store could not grow" err &&
	hb-subscribe list >out &&
	test_grep "^telegram:1	" out &&
	test_store_verify
'

test_expect_success 'with a group, the group reaches the spool and nothing else' '
	hb_write_conf "group = daemon" &&
	hb-subscribe -d grouped add telegram:1 &&
	test "$(stat -c %a:%G grouped)" = 710:daemon &&
	test "$(stat -c %a:%G grouped/spool)" = 2730:daemon &&
	find grouped -type f ! -perm 600 >loose &&
	test_must_fail test -s loose
'

test_expect_success 'a lock an older hb made readable by the group is the owner'"'"'s again' '
	chmod 640 grouped/lock &&
	hb-subscribe -d grouped list >/dev/null &&
	test "$(stat -c %a grouped/lock)" = 600
'

test_done
