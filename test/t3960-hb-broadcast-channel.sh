#!/bin/sh
test_description='[telegram] channel: every announcement also goes to the public channel'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# posts: how many sends the public channel got.
posts () {
	jq -s '[.[] | select(.channel == "telegram" and .to == "@stadt_news")] | length' "$SIM_LOG"
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" "testers = telegram:491701000001" &&
	sed -i "/^\[telegram\]/a channel = @stadt_news" "$HB_CONF" &&
	hb_subscribers 1 3 &&
	echo "Heute: Stadtfest." >news
'

test_expect_success 'an announcement is posted to the channel once, and counted' '
	hb-broadcast send -n -c telegram news >plan &&
	test_grep "^telegram	4	4	" plan &&
	hb-broadcast send news >id &&
	test "$(posts)" = 1 &&
	jq -s -e "map(select(.to == \"@stadt_news\")) | .[0].body.chat_id == \"@stadt_news\" and .[0].text == \"Heute: Stadtfest.\"" "$SIM_LOG" &&
	hb-broadcast status "$(cat id)" >status &&
	test_grep "^telegram	4	4	0	0	0	0	0$" status &&
	test_grep "^whatsapp	3	3	" status
'

test_expect_success 'a test send is not; a follow-up of a posted one is; so is an emergency' '
	: >"$SIM_LOG" &&
	hb-broadcast send -T news >/dev/null &&
	test "$(posts)" = 0 &&
	echo "Korrektur." >fix &&
	hb-broadcast send -F "$(cat id)" fix >/dev/null &&
	test "$(posts)" = 1 &&
	hb-broadcast send -e -r Sturm news >/dev/null &&
	test "$(posts)" = 2 &&
	hb-broadcast send -c whatsapp news >/dev/null &&
	test "$(posts)" = 2
'

test_expect_success 'the channel is no subscriber, and its name is checked' '
	test_expect_code 65 hb-subscribe add telegram:@stadt_news 2>err &&
	test_grep "a public channel is no subscriber" err &&
	test_expect_code 65 hb-subscribe show telegram:@stadt_news 2>/dev/null &&
	sed -i "s/^channel = @stadt_news/channel = stadt_news/" "$HB_CONF" &&
	test_expect_code 78 hb-broadcast list 2>err &&
	test_grep "public channel" err
'

test_done
