# test-lib.sh: the harness of hb's shell tests, after git's t/test-lib.sh.
#
# A test script sets test_description, sources this file, runs
# test_expect_success blocks and ends with test_done.  It prints TAP, so
# prove runs the scripts (make check).  Each script works in its own
# trash directory with its own store and configuration:
#
#   $HB_HOME   trash/store, the store directory
#   $HB_CONF   trash/hb.conf, written by hb_write_conf
#
# Run one script by hand with -v to see every command's output:
#   sh test/t2000-hb-subscribe-basic.sh -v

LC_ALL=C
TZ=UTC
export LC_ALL TZ
unset HB_CONF HB_HOME CDPATH

verbose=
for arg in "$@"; do
	case "$arg" in
	-v|--verbose) verbose=t ;;
	esac
done

TEST_DIRECTORY=$(cd "$(dirname "$0")" && pwd)
HB_BUILD=${HB_BUILD:-$TEST_DIRECTORY/../build}
HB_BUILD=$(cd "$HB_BUILD" && pwd) || {
	echo "Bail out! no build directory; run make first"
	exit 1
}
PATH=$HB_BUILD/bin:$HB_BUILD/test:$PATH
export PATH HB_BUILD TEST_DIRECTORY

test_name=$(basename "$0" .sh)
TRASH_DIRECTORY=$TEST_DIRECTORY/trash.$test_name
rm -rf "$TRASH_DIRECTORY"
mkdir -p "$TRASH_DIRECTORY" || exit 1
cd "$TRASH_DIRECTORY" || exit 1

# Sanitizer and valgrind reports go to files that test_done looks for,
# so that a report from a command expected to fail is not missed.
# hb turns SIGBUS inside the store (a full disk) into exit 75: let it.
# The syslog capture comes before libasan in the list of libraries: let it.
ASAN_OPTIONS=log_path=$TRASH_DIRECTORY/.sanitizer:detect_leaks=1:allow_user_segv_handler=1:verify_asan_link_order=0
UBSAN_OPTIONS=log_path=$TRASH_DIRECTORY/.sanitizer:print_stacktrace=1
export ASAN_OPTIONS UBSAN_OPTIONS

# What the programs send to syslog goes to a file instead, for the
# tests to read and test_done to check: it must name no citizen.
HB_TEST_SYSLOG=$TRASH_DIRECTORY/.syslog
LD_PRELOAD=$HB_BUILD/test/syslog-capture.so${LD_PRELOAD:+:$LD_PRELOAD}
export HB_TEST_SYSLOG LD_PRELOAD
if [ -n "${HB_VALGRIND:-}" ]; then
	mkdir -p "$TRASH_DIRECTORY/.valgrind-bin"
	for prog in "$HB_BUILD"/bin/*; do
		cat >"$TRASH_DIRECTORY/.valgrind-bin/${prog##*/}" <<-EOF
		#!/bin/sh
		exec valgrind -q --error-exitcode=126 --leak-check=full \\
		    --suppressions="$TEST_DIRECTORY/valgrind.supp" \\
		    --errors-for-leak-kinds=definite \\
		    --log-file="$TRASH_DIRECTORY/.valgrind.%p" "$prog" "\$@"
		EOF
		chmod +x "$TRASH_DIRECTORY/.valgrind-bin/${prog##*/}"
	done
	PATH=$TRASH_DIRECTORY/.valgrind-bin:$PATH
fi

# The operator is the login name, SUDO_USER under sudo (hb_sudo).
unset SUDO_USER SUDO_UID SUDO_GID SUDO_COMMAND

HB_HOME=$TRASH_DIRECTORY/store
HB_CONF=$TRASH_DIRECTORY/hb.conf
export HB_HOME HB_CONF

echo "# $test_name: ${test_description:-}"
test_count=0
test_failures=0
test_cleanup=:

# hb_write_conf [extra lines for [hb]]: a minimal valid configuration.
# shellcheck disable=SC2120
hb_write_conf () {
	{
		printf '[hb]\nhome = %s\ntimezone = UTC\n' "$HB_HOME"
		printf '%s\n' "$@"
	} >"$HB_CONF"
}
# shellcheck disable=SC2119
hb_write_conf

# hb_tg_update id text update_id: a Telegram update with a message from
# chat id, dated now.
hb_tg_update () {
	jq -nc --argjson u "$3" --argjson id "$1" --arg t "$2" \
	    --argjson d "$(date +%s)" \
	    '{update_id: $u, message: {message_id: $u, date: $d,
	      from: {id: $id, first_name: "Max"}, chat: {id: $id, type: "private"},
	      text: $t}}'
}

# hb_wa_msg id text date [phone]: a WhatsApp message from BSUID
# DE.5001, with the phone beside it when given.
hb_wa_msg () {
	jq -nc --arg mid "wamid.$1" --arg t "$2" --arg d "$3" --arg p "${4:-}" \
	    '{object: "whatsapp_business_account", entry: [{id: "1", changes: [{field: "messages",
	      value: {contacts: [({profile: {name: "Wanda"}, user_id: "DE.5001"} +
	        (if $p == "" then {} else {wa_id: $p} end))],
	      messages: [({from_user_id: "DE.5001", id: $mid, timestamp: $d, type: "text",
	        text: {body: $t}} + (if $p == "" then {} else {from: $p} end))]}}]}]}'
}

# hb_sudo user cmd...: run cmd as sudo -u root would for user (sudo's
# variables; the tests run as the store's owner already).
hb_sudo () {
	sudo_user=$1
	shift
	env SUDO_USER="$sudo_user" SUDO_UID="$(id -u "$sudo_user")" \
	    SUDO_GID="$(id -g "$sudo_user")" "$@"
}

# hb_secret file content: a secret file only its owner can read.
hb_secret () {
	(umask 077 && printf '%s\n' "$2" >"$1")
}

# test_atexit cmd: run cmd when the script ends (servers it started).
test_atexit_cmds=:
test_atexit () {
	test_atexit_cmds="$test_atexit_cmds; $*"
}
trap 'eval "$test_atexit_cmds"' EXIT

say () {
	printf '# %s\n' "$*"
}

# test_when_finished cmd: run cmd after the current test, pass or fail.
test_when_finished () {
	test_cleanup="{ $*
		} && (exit \"\$eval_ret\"); eval_ret=\$?; $test_cleanup"
}

# The chain lint, as git's: a test body whose commands are all chained
# with && runs nothing after a leading (exit 117), and so ends with 117;
# a link without && lets what follows it run, and the status changes.
# It runs in a subshell, so a broken chain changes no variable here.
test_chain_lint_ () {
	test "$(eval "(exit 117) && $1
echo OK-\$?" 2>/dev/null)" = "OK-117"
}

test_run_ () {
	test_cleanup=:
	if ! test_chain_lint_ "$1"; then
		echo "Bail out! broken &&-chain in test $test_count: $1"
		exit 1
	fi
	if [ -n "$verbose" ]; then
		eval "$1"
		eval_ret=$?
	else
		eval "$1" >"$TRASH_DIRECTORY/.out" 2>&1
		eval_ret=$?
	fi
	eval "$test_cleanup"
	return "$eval_ret"
}

# test_have_prereqs_ PREREQ[,PREREQ...] title: 0 if all are there, else
# report the test as skipped.
test_have_prereqs_ () {
	for prereq in $(echo "$1" | tr , " "); do
		case "$prereq" in
		NOT_VALGRIND)
			if [ -n "${HB_VALGRIND:-}" ]; then
				echo "ok $test_count # skip $2 (valgrind distorts timing)"
				return 1
			fi ;;
		MOUNTNS)
			if ! unshare -rm true 2>/dev/null; then
				echo "ok $test_count # skip $2 (no mount namespace: unshare -rm fails)"
				return 1
			fi ;;
		*)
			echo "Bail out! unknown prerequisite $prereq"
			exit 1 ;;
		esac
	done
	return 0
}

# test_expect_success [PREREQ[,PREREQ]] 'what it shows' 'commands chained with &&'
#
# PREREQ names a condition the test needs; without it the test is
# reported as skipped, with the reason, never as passed:
#   NOT_VALGRIND  valgrind delays signals and stalls the process, which
#                 timing tests watch (arrivals a second, at the server)
#   MOUNTNS       a mount namespace of our own (unshare -rm), for a
#                 file system of a given size
test_expect_success () {
	test_count=$((test_count + 1))
	if [ $# -eq 3 ]; then
		if ! test_have_prereqs_ "$1" "$2"; then
			return
		fi
		shift
	fi
	if test_run_ "$2"; then
		echo "ok $test_count - $1"
	else
		test_failures=$((test_failures + 1))
		echo "not ok $test_count - $1"
		if [ -z "$verbose" ]; then
			sed -e 's/^/#   /' "$TRASH_DIRECTORY/.out"
		fi
		printf '%s\n' "$2" | sed -e 's/^/#   > /'
	fi
}

# test_must_fail cmd...: cmd fails, but not by a signal (a crash).
test_must_fail () {
	"$@"
	exit_code=$?
	if [ "$exit_code" -eq 0 ]; then
		echo "test_must_fail: command succeeded: $*" >&2
		return 1
	elif [ "$exit_code" -gt 128 ]; then
		echo "test_must_fail: died by signal $((exit_code - 128)): $*" >&2
		return 1
	fi
	return 0
}

# test_expect_code N cmd...: cmd exits with status N.
test_expect_code () {
	want=$1
	shift
	"$@"
	exit_code=$?
	if [ "$exit_code" -ne "$want" ]; then
		echo "test_expect_code: want $want, got $exit_code: $*" >&2
		return 1
	fi
	return 0
}

# test_must_be_empty file: file exists and is empty (shows it if not).
test_must_be_empty () {
	if [ ! -e "$1" ]; then
		echo "test_must_be_empty: '$1' is missing" >&2
		return 1
	fi
	if [ -s "$1" ]; then
		echo "test_must_be_empty: '$1' is not empty:" >&2
		cat "$1" >&2
		return 1
	fi
}

# test_json [-s] filter cmd...: cmd succeeds, prints something, and its
# JSON output passes jq -e filter (-s: the lines as one array).  Never
# pipe a program into jq -e: the pipe loses its status, and jq -e
# passes on empty input.
test_json () {
	slurp=
	if [ "$1" = -s ]; then
		slurp=-s
		shift
	fi
	filter=$1
	shift
	"$@" >"$TRASH_DIRECTORY/.json" || {
		echo "test_json: failed ($?): $*" >&2
		return 1
	}
	if [ ! -s "$TRASH_DIRECTORY/.json" ]; then
		echo "test_json: no output: $*" >&2
		return 1
	fi
	jq $slurp -e "$filter" "$TRASH_DIRECTORY/.json" >/dev/null || {
		echo "test_json: $filter is not true of:" >&2
		cat "$TRASH_DIRECTORY/.json" >&2
		return 1
	}
}

# test_cmp expected actual
test_cmp () {
	diff -u "$1" "$2"
}

# test_grep pattern file: like grep, but shows the file when it fails.
test_grep () {
	if grep "$@"; then
		return 0
	fi
	for last in "$@"; do :; done
	echo "test_grep: no match for '$1' in:" >&2
	cat "$last" >&2
	return 1
}

# test_wait_for cmd...: run cmd until it succeeds, ten seconds at most.
test_wait_for () {
	tries=0
	until "$@"; do
		tries=$((tries + 1))
		if [ $tries -ge 200 ]; then
			echo "test_wait_for: gave up on: $*" >&2
			return 1
		fi
		sleep 0.05
	done
}

# test_store_verify: Berkeley DB's own check of every file of the store,
# under the store's lock, as hb(7) tells administrators to run it.
test_store_verify () {
	(cd "$HB_HOME" && flock lock db5.3_verify -q -h . ./*.db)
}

# Fail the script for every sanitizer or valgrind report its programs
# left behind.
test_reports_ () {
	for report in "$TRASH_DIRECTORY"/.sanitizer.* "$TRASH_DIRECTORY"/.valgrind.*; do
		[ -s "$report" ] || continue
		test_count=$((test_count + 1))
		test_failures=$((test_failures + 1))
		echo "not ok $test_count - no report in ${report##*/}"
		sed -e 's/^/#   /' "$report"
	done
}

# Fail the script if syslog named a citizen: an ID (channel:...) or a
# phone number.  Audit lines name operators and broadcasts only.
test_syslog_ () {
	[ -s "$HB_TEST_SYSLOG" ] || return 0
	if grep -E '(telegram|whatsapp|messenger|instagram):[-0-9A-Za-z]|(^|[^0-9])\+?49[0-9]{8,}' \
	    "$HB_TEST_SYSLOG" >"$TRASH_DIRECTORY/.syslog-citizens"; then
		test_count=$((test_count + 1))
		test_failures=$((test_failures + 1))
		echo "not ok $test_count - syslog names no citizen"
		sed -e 's/^/#   /' "$TRASH_DIRECTORY/.syslog-citizens"
	fi
}

test_done () {
	test_reports_
	test_syslog_
	echo "1..$test_count"
	if [ "$test_failures" -eq 0 ]; then
		cd "$TEST_DIRECTORY" && rm -rf "$TRASH_DIRECTORY"
		exit 0
	fi
	say "failed $test_failures of $test_count"
	exit 1
}
