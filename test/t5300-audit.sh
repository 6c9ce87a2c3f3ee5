#!/bin/sh
test_description='audit lines in syslog: broadcasts, emergencies, approvals and erasures name the operator'"'"'s login, never a citizen'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# test-lib.sh captures syslog in $HB_TEST_SYSLOG, and test_done fails
# the script if a citizen's ID or phone number is in it.
me=$(id -un)

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf "approval = yes" &&
	hb-subscribe add telegram:501 telegram:502 whatsapp:4917012345678 &&
	echo "Heute: Stadtfest." >news
'

test_expect_success 'a broadcast names the login under sudo, with -u beside it' '
	hb_sudo daemon hb-broadcast send -u "Anna Weber" news >id 2>/dev/null &&
	test_grep "^hb-broadcast: broadcast $(cat id) by daemon (Anna Weber)$" "$HB_TEST_SYSLOG"
'

test_expect_success 'an approval names its login; -u cannot make the author another' '
	test_expect_code 77 hb_sudo daemon hb-broadcast approve -u "Bernd" "$(cat id)" 2>/dev/null &&
	hb_sudo bin hb-broadcast approve -u "Bernd Chef" "$(cat id)" &&
	test_grep "^hb-broadcast: broadcast $(cat id) approved by bin (Bernd Chef)$" "$HB_TEST_SYSLOG"
'

test_expect_success 'USER and LOGNAME name nobody: the real user does' '
	USER=mallory LOGNAME=mallory hb-broadcast send -e -r "Sturm" news >id &&
	test_grep "^hb-broadcast: emergency broadcast $(cat id) by $me: Sturm$" "$HB_TEST_SYSLOG" &&
	! grep mallory "$HB_TEST_SYSLOG" &&
	SUDO_USER=daemon SUDO_UID=0 hb-broadcast send -e -r "Hagel" news >id &&
	test_grep "^hb-broadcast: emergency broadcast $(cat id) by $me: Hagel$" "$HB_TEST_SYSLOG"
'

test_expect_success 'erasures are counted, with who erased, never whom' '
	hb_sudo daemon hb-purge erase telegram:501 >/dev/null &&
	test_grep "^hb-purge: 1 person erased by daemon$" "$HB_TEST_SYSLOG" &&
	hb_tg_update 502 "Alle Daten löschen" 7 | hb-ingest -c telegram >/dev/null &&
	test_grep "^hb-ingest: erasure at a citizen.s request on telegram$" "$HB_TEST_SYSLOG" &&
	hb-purge erase whatsapp:4917012345678 telegram:999 >/dev/null &&
	test_grep "^hb-purge: 2 people erased by $me$" "$HB_TEST_SYSLOG"
'

test_expect_success 'no line of the syslog names a citizen' '
	test_must_fail grep -E "telegram:|whatsapp:|4917012345678|501|502" "$HB_TEST_SYSLOG"
'

test_done
