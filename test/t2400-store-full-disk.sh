#!/bin/sh
test_description='store: a full disk ends no program by a signal, loses nothing acknowledged'
. "${0%/*}/test-lib.sh"

# on_small_disk size script: run script (sh) with the store directory on
# a file system of that size of its own, made in a mount namespace of
# its own: what it holds is gone when the script ends.  The script
# leaves its findings in files of the trash directory.
on_small_disk () {
	mkdir -p "$HB_HOME" &&
	unshare -rm sh -c 'mount -t tmpfs -o size="$1" tmpfs "$HB_HOME" &&
	    . "$2"' on_small_disk "$1" "$2"
}

# post file, in a script of on_small_disk: post a Telegram update as the
# web server would run hb-ingest; the status line to stdout.
cat >post.sh <<\EOF_POST
post () {
	GATEWAY_INTERFACE=CGI/1.1 REQUEST_METHOD=POST PATH_INFO=/telegram \
	    CONTENT_TYPE=application/json CONTENT_LENGTH=$(wc -c <"$1") \
	    HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=$(cat tg.secret) \
	    hb-ingest <"$1" | head -n 1
}
EOF_POST

test_expect_success 'set up' '
	hb_secret tg.token 123:abc &&
	hb_secret tg.secret tg-secret-1 &&
	hb_write_conf "hooks = $TRASH_DIRECTORY/hooks" "[telegram]" \
	    "token_file = $TRASH_DIRECTORY/tg.token" \
	    "secret_file = $TRASH_DIRECTORY/tg.secret" &&
	mkdir hooks &&
	printf "#!/bin/sh\ncat >>\"%s/hooked\"\n" "$TRASH_DIRECTORY" >hooks/on-subscribe &&
	chmod +x hooks/on-subscribe &&
	seq 1000 200000 | sed "s/^/telegram:/" >many
'

test_expect_success MOUNTNS,NOT_VALGRIND 'a batch that fills the disk exits 74 or 75, not by a signal' '
	cat >disk.sh <<-\EOF &&
	hb-subscribe add telegram:1 &&
	{ hb-subscribe add <many 2>err.full; echo $? >status.full; } &&
	hb-subscribe add telegram:2 2>err.still; echo $? >status.still
	mount -o remount,size=64m tmpfs "$HB_HOME" &&
	hb-subscribe add telegram:3 &&
	hb-subscribe list >list.after &&
	(cd "$HB_HOME" && flock lock db5.3_verify -q -h . ./*.db) &&
	echo done >finished
	EOF
	on_small_disk 4m ./disk.sh &&
	test_grep -x done finished &&
	case $(cat status.full) in 74|75) ;; *) false ;; esac &&
	test_grep "the disk is full\|No space left on device" err.full &&
	case $(cat status.still) in 74|75) ;; *) false ;; esac &&
	test_grep "No space left on device" err.still &&
	test_grep "^telegram:1	" list.after &&
	test_grep "^telegram:3	" list.after
'

test_expect_success MOUNTNS 'a webhook on a full disk is answered 503, not set aside; its retry is stored once' '
	cat >disk.sh <<-\EOF &&
	. ./post.sh &&
	post start.11 >answer.1 &&
	{ dd if=/dev/zero of="$HB_HOME/filler" bs=4k 2>/dev/null; true; } &&
	post start.12 >answer.2 &&
	truncate -s -4k "$HB_HOME/filler" &&
	post start.12 >answer.3 &&
	ls "$HB_HOME/spool" >spool.full &&
	hb-subscribe list >list.full 2>&1
	rm "$HB_HOME/filler" &&
	post start.12 >answer.4 &&
	post start.12 >answer.5 &&
	hb-subscribe list >list.after &&
	(cd "$HB_HOME" && flock lock db5.3_verify -q -h . ./*.db) &&
	echo done >finished
	EOF
	rm -f finished &&
	hb_tg_update 11 Start 1 >start.11 &&
	hb_tg_update 12 Start 2 >start.12 &&
	on_small_disk 4m ./disk.sh &&
	test_grep -x done finished &&
	test_grep "^Status: 200" answer.1 &&
	test_grep "^Status: 503" answer.2 &&
	test_grep "^Status: 503" answer.3 &&
	test_must_fail test_grep "[.]failed$" spool.full &&
	test_grep "^Status: 200" answer.4 &&
	test_grep "^Status: 200" answer.5 &&
	test_must_fail test_grep "^telegram:12	" list.full &&
	test_grep "^telegram:12	" list.after &&
	test_wait_for test_grep -c "telegram:12" hooked &&
	test "$(grep -c "\"telegram:12\"" hooked)" = 1
'

test_done
