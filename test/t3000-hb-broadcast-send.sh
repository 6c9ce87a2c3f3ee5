#!/bin/sh
test_description='hb-broadcast send: everyone active gets one copy'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf &&
	echo "Heute: Stadtfest auf dem Marktplatz." >news
'

test_expect_success '1,000 subscribers across four channels get one copy each' '
	hb_subscribers 1 250 &&
	hb-broadcast send news >id &&
	test "$(cat id)" = 1 &&
	hb_copies >copies &&
	test "$(wc -l <copies)" = 1000 &&
	! grep -v "	1$" copies &&
	hb-broadcast status 1 >status &&
	test_grep "^telegram	250	250	0	0	0	0	0$" status &&
	test_grep "^instagram	250	250	0	0	0	0	0$" status
'

test_expect_success 'each platform gets its own request shape' '
	hb_sent_to telegram:491701000001 && jq -e ".path == \"/bottoken-0123/sendMessage\" and .body.chat_id == 491701000001 and .auth == null" sent_to &&
	hb_sent_to whatsapp:491701000001 && jq -e ".path == \"/graph/v21.0/1100/messages\" and .body.type == \"text\" and .body.to == \"491701000001\" and .auth == \"Bearer token-0123\"" sent_to &&
	hb_sent_to messenger:491701000001 && jq -e ".path == \"/graph/v21.0/2200/messages\" and .body.messaging_type == \"UPDATE\" and .body.recipient.id == \"491701000001\"" sent_to &&
	hb_sent_to instagram:491701000001 && jq -e ".path == \"/instagram/v21.0/3300/messages\" and .text == \"Heute: Stadtfest auf dem Marktplatz.\"" sent_to
'

test_expect_success 'a dry run forecasts from the answer times the last run measured' '
	hb-subscribe -d fresh import subs.jsonl &&
	hb-broadcast -d fresh -j send -n news >plan &&
	jq -s -e "length == 4 and all(.[]; .latency == null)" plan &&
	hb-broadcast -d fresh send -n news >/dev/null 2>err &&
	test_grep "1 s assumed" err &&
	hb_sim_conf "daily_limit = 0" &&
	sed -i "/^\[telegram\]/,/^\[whatsapp\]/ s/^rate = .*/rate = 50/" "$HB_CONF" &&
	hb-broadcast -j send -n news >plan &&
	jq -s -e "length == 4 and all(.[]; .latency > 0)" plan &&
	jq -s -e ".[] | select(.channel == \"telegram\") | .seconds >= 250 * 1.1 / 50" plan &&
	hb-broadcast send -n news >/dev/null 2>err &&
	test_grep "telegram finishes last" err &&
	test_must_fail test_grep "assumed" err
'

test_expect_success 'a terminal sees progress per channel; -q and a pipe see none' '
	hb_sim_conf "daily_limit = 0" &&
	echo "Abends: Konzert." >evening &&
	script -qec "hb-broadcast send evening" /dev/null >tty.out &&
	test_grep "telegram 250/250 [0-9]*/s 0:00 left" tty.out &&
	test_grep "instagram 250/250 " tty.out &&
	script -qec "hb-broadcast -q send evening" /dev/null >tty.quiet &&
	test_must_fail test_grep "/250" tty.quiet &&
	hb-broadcast send evening >id 2>err &&
	test_must_fail test_grep "/250" err
'

test_done
