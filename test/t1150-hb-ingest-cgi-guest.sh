#!/bin/sh
test_description='hb-ingest as CGI under a web server of another user: the spool, the owner'"'"'s committer, no send tokens'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-httpd.sh"

# The set-up of hb(7): the store belongs to its owner (here daemon, whose
# group is daemon); lighttpd runs as nobody in the group daemon.  The
# files live where both users can reach them, whatever the checkout's
# path; the programs run from there too, without valgrind's wrapper.
if [ "$(id -u)" != 0 ]; then
	echo "1..0 # SKIP running a web server as another user needs root"
	exit 0
fi
WORLD=$(mktemp -d /tmp/hb-guest.XXXXXX) &&
chmod 755 "$WORLD" || exit 1
test_atexit "rm -rf '$WORLD'"
HTTPD_ROOT=$WORLD/httpd
HTTPD_EXTRA='server.username = "nobody"
server.groupname = "daemon"'
HB_HOME=$WORLD/store
HB_CONF=$WORLD/hb.conf
mkdir -m 1777 "$WORLD/reports" "$WORLD/bin" &&
install -m 666 /dev/null "$WORLD/reports/syslog" &&
cp "$HB_BUILD"/bin/hb-* "$HB_BUILD/test/syslog-capture.so" "$WORLD/bin" ||
    exit 1
PATH=$WORLD/bin:$PATH
ASAN_OPTIONS=log_path=$WORLD/reports/.sanitizer:detect_leaks=1:allow_user_segv_handler=1:verify_asan_link_order=0
UBSAN_OPTIONS=log_path=$WORLD/reports/.sanitizer:print_stacktrace=1
LD_PRELOAD=$WORLD/bin/syslog-capture.so
HB_TEST_SYSLOG=$WORLD/reports/syslog

as_owner () {
	setpriv --reuid=daemon --regid=daemon --init-groups -- "$@"
}
as_web () {
	setpriv --reuid=nobody --regid=daemon --clear-groups -- "$@"
}

# owned mode name...: files of the owner's, with mode.
owned () {
	mode=$1
	shift
	for f in "$@"; do
		chown daemon:daemon "$WORLD/$f" &&
		chmod "$mode" "$WORLD/$f" || return 1
	done
}

committer_stop () {
	if [ -n "${COMMITTER:-}" ]; then
		kill "$COMMITTER" 2>/dev/null
		wait "$COMMITTER"
	fi
}
test_atexit committer_stop

test_expect_success 'set up: send tokens the owner'"'"'s alone, webhook secrets the group'"'"'s' '
	HB_FILES=$WORLD hb_full_conf "group = daemon" "lock_wait = 2" &&
	owned 600 tg.token meta.token &&
	owned 640 tg.secret meta.secret meta.verify &&
	chmod 644 "$HB_CONF" &&
	install -d -o daemon -g daemon "$HB_HOME" &&
	as_owner hb-subscribe list >out &&
	test_must_be_empty out &&
	test "$(stat -c %a:%U:%G "$HB_HOME")" = 710:daemon:daemon &&
	test "$(stat -c %a:%U:%G "$HB_HOME/spool")" = 2730:daemon:daemon &&
	test_must_fail as_web cat "$WORLD/tg.token" &&
	test_must_fail as_web cat "$WORLD/meta.token" &&
	as_web cat "$WORLD/meta.secret" >/dev/null
'

test_expect_success 'start lighttpd as nobody' '
	install -d -o nobody "$HTTPD_ROOT" &&
	hb_start_httpd &&
	test "$(ps -o user= -p "$HTTPD_PID")" = nobody
'

test_expect_success 'a group member cannot take the store'"'"'s lock, nor open the store' '
	test_must_fail as_web flock -n "$HB_HOME/lock" true &&
	test_must_fail as_web flock -n -s "$HB_HOME/lock" true &&
	test_must_fail as_web hb-subscribe list 2>err &&
	test_grep "Permission denied" err &&
	test_expect_code 77 as_web hb-ingest spool -1 2>err &&
	test_grep "another user" err
'

test_expect_success 'without the owner'"'"'s committer a webhook gets 503 and leaves nothing' '
	test "$(hb_post_telegram "$TEST_DIRECTORY/data/ingest/tg-start.json")" = 503 &&
	test_grep "is hb-ingest spool running as the store.s owner" "$HB_TEST_SYSLOG" &&
	ls -A "$HB_HOME/spool" >left &&
	test_must_be_empty left &&
	as_owner hb-subscribe list >out &&
	test_must_be_empty out
'

test_expect_success 'the owner'"'"'s hb-ingest spool commits what waits (-1), and the CGI answers 200' '
	{ hb_post_telegram "$TEST_DIRECTORY/data/ingest/tg-start.json" >status & } &&
	curl_pid=$! &&
	spooled () { ls "$HB_HOME/spool" | grep -q "^telegram\."; } &&
	test_wait_for spooled &&
	as_owner hb-ingest spool -1 &&
	wait "$curl_pid" &&
	test "$(cat status)" = 200 &&
	as_owner hb-subscribe list -s active | cut -f1 >active &&
	echo telegram:5123456789 >expect &&
	test_cmp expect active
'

test_expect_success 'with hb-ingest spool running, webhooks of each kind are answered 200' '
	{ setpriv --reuid=daemon --regid=daemon --init-groups -- \
	    hb-ingest spool 2>committer.err & } &&
	COMMITTER=$! &&
	test "$(hb_post_meta /whatsapp "$TEST_DIRECTORY/data/ingest/wa-start.json")" = 200 &&
	as_owner hb-subscribe show whatsapp:4917012345678 >out &&
	jq -e ".subscriber.state == \"active\"" out &&
	test "$(hb_post_telegram "$TEST_DIRECTORY/data/ingest/tg-start.json")" = 200 &&
	status=$(curl -s -o answer -w "%{http_code}" \
	    "$HB_URL/whatsapp?hub.mode=subscribe&hub.verify_token=$VERIFY&hub.challenge=42") &&
	test "$status" = 200 &&
	test "$(cat answer)" = 42
'

test_expect_success 'the committer needs the owner in the group' '
	test_expect_code 78 setpriv --reuid=daemon --regid=nogroup --clear-groups -- \
	    hb-ingest spool -1 2>err &&
	test_grep "not in the group" err
'

test_expect_success 'every file of the store is the owner'"'"'s alone' '
	find "$HB_HOME" -type f ! -perm 600 >loose &&
	test_must_be_empty loose &&
	find "$HB_HOME" ! -user daemon >foreign &&
	test_must_be_empty foreign
'

test_expect_success 'the committer ends on SIGTERM with status 0' '
	kill "$COMMITTER" &&
	wait "$COMMITTER" &&
	COMMITTER= &&
	test_must_be_empty committer.err
'

test_expect_success 'a body the owner cannot read is kept apart, not taken for committed' '
	as_web sh -c "umask 077 && cat \"$TEST_DIRECTORY/data/ingest/tg-start.json\" >\"$HB_HOME/spool/telegram.1.2.3\"" &&
	as_owner hb-ingest spool -1 2>err &&
	test_grep "Permission denied" err &&
	test_grep "spool: kept as .*telegram.1.2.3.failed" err &&
	test -e "$HB_HOME/spool/telegram.1.2.3.failed" &&
	test_must_fail test -e "$HB_HOME/spool/telegram.1.2.3"
'

# Reports of the programs that ran as other users, for test_done.
cp "$WORLD"/reports/.sanitizer.* "$TRASH_DIRECTORY" 2>/dev/null
cp "$WORLD/reports/syslog" "$TRASH_DIRECTORY/.syslog" 2>/dev/null
HB_TEST_SYSLOG=$TRASH_DIRECTORY/.syslog
test_done
