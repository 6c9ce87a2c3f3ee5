#!/bin/sh
test_description='hb-broadcast: rates, retry-after, emergencies first, one sender'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# has_sends channel n: the simulator has seen n sends to channel or more.
has_sends () {
	test "$(jq -s "map(select(.channel == \"$1\")) | length" "$SIM_LOG")" -ge "$2"
}

# release channel: the simulator answers what it held of channel.
release () {
	hb_sim /sim/release "{\"channel\":\"$1\"}"
}

test_expect_success 'setup' '
	hb_start_sim &&
	HB_SIM_RATE=20 hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 1 60 &&
	echo "Heute: Stadtfest." >news
'

test_expect_success NOT_VALGRIND 'no channel sees more than its rate within any second' '
	hb-broadcast send news >id &&
	python3 "$TEST_DIRECTORY/sim/simlog.py" rate "$SIM_LOG" >rates &&
	cat rates &&
	test "$(wc -l <rates)" = 4 &&
	awk "\$2 > 20 { exit 1 }" rates &&
	hb_copies >copies &&
	test "$(wc -l <copies)" = 240
'

test_expect_success 'Telegram retry_after is honoured' '
	: >"$SIM_LOG" &&
	hb_sim /sim/fault "{\"path\":\"sendMessage\",\"after\":5,\"status\":429,\"body\":{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 2\",\"parameters\":{\"retry_after\":2}}}" &&
	hb-broadcast -c telegram send news >id &&
	jq -s "[.[] | select(.channel == \"telegram\") | .t]" "$SIM_LOG" >times &&
	jq -e "length == 61 and (.[6] - .[5]) >= 2" times &&
	test_json ".sent == 60" hb-broadcast -j status "$(cat id)"
'

test_expect_success 'an HTTP Retry-After header pauses the channel as long' '
	: >"$SIM_LOG" &&
	hb_sim /sim/fault "{\"path\":\"/2200/messages\",\"after\":5,\"status\":503,\"body\":{\"error\":{\"code\":2}},\"headers\":{\"Retry-After\":\"2\"}}" &&
	hb-broadcast -c messenger send news >id &&
	jq -s "[.[] | select(.channel == \"messenger\") | .t]" "$SIM_LOG" >times &&
	jq -e "length == 61 and (.[6] - .[5]) >= 2" times &&
	test_json ".sent == 60" hb-broadcast -j status "$(cat id)"
'

test_expect_success 'a flood answer from the platform pauses the channel' '
	: >"$SIM_LOG" &&
	HB_SIM_RATE=0 hb_sim_conf "daily_limit = 0" &&
	hb_sim /sim/limit "{\"channel\":\"messenger\",\"rate\":10}" &&
	hb-broadcast -c messenger send news >id &&
	test_json ".sent == 60" hb-broadcast -j status "$(cat id)" &&
	test "$(jq -s "map(select(.channel == \"messenger\")) | length" "$SIM_LOG")" -gt 60 &&
	hb_sim /sim/limit "{\"channel\":\"messenger\",\"rate\":0}"
'

test_expect_success 'a channel whose answers hang holds no other back' '
	: >"$SIM_LOG" &&
	HB_SIM_RATE=50 hb_sim_conf "daily_limit = 0" &&
	hb_sim /sim/hold "{\"channel\":\"instagram\"}" &&
	test_when_finished "release instagram" &&
	{ hb-broadcast send news >id & } &&
	pid=$! &&
	test_when_finished "kill $pid 2>/dev/null; true" &&
	test_wait_for has_sends telegram 60 &&
	test_wait_for has_sends whatsapp 60 &&
	test_wait_for has_sends messenger 60 &&
	release instagram &&
	wait $pid &&
	hb_copies >copies &&
	test "$(wc -l <copies)" = 240 &&
	! grep -v "	1$" copies
'

test_expect_success 'an emergency overtakes a regular broadcast on every channel' '
	: >"$SIM_LOG" &&
	HB_SIM_RATE=20 hb_sim_conf "daily_limit = 0" &&
	{ hb-broadcast send news >id.regular & } &&
	regular=$! &&
	test_wait_for has_sends whatsapp 5 &&
	echo "Unwetterwarnung" >warn &&
	hb-broadcast send -e -r Sturm warn >id.emergency &&
	wait $regular &&
	for ch in telegram whatsapp messenger instagram; do
		jq -s --arg ch $ch "[.[] | select(.channel == \$ch) | .text | startswith(\"Unwetter\")]" "$SIM_LOG" >order.$ch &&
		jq -e "length == 120 and (map(select(.)) | length) == 60" order.$ch &&
		# Between its first and its last, only what was in flight.
		jq -e ".[index(true):rindex(true)] | map(select(. == false)) | length <= 2" order.$ch || return 1
	done
'

test_expect_success 'few open files allowed: it says the rate may not be reached, and sends' '
	: >"$SIM_LOG" &&
	HB_SIM_RATE=50 hb_sim_conf "daily_limit = 0" &&
	(ulimit -n 200 && hb-broadcast -c telegram send news >id 2>err) &&
	test_grep "at most [0-9]* requests in flight a channel.*ulimit -n" err &&
	test_json ".sent == 60" hb-broadcast -j status "$(cat id)" &&
	hb-broadcast -c telegram send news >id 2>err &&
	test_must_fail test_grep "ulimit" err
'

test_expect_success 'two runs at once never send the same message twice' '
	: >"$SIM_LOG" &&
	HB_SIM_RATE=50 hb_sim_conf "daily_limit = 0" &&
	hb-broadcast -c telegram send -a "$(date -u +%Y-%m-%dT%H:%M)" news >id &&
	{ hb-broadcast run & } && r1=$! &&
	{ hb-broadcast run & } && r2=$! &&
	hb-broadcast run &&
	wait $r1 && wait $r2 &&
	hb_copies >copies &&
	test "$(wc -l <copies)" = 60 &&
	! grep -v "	1$" copies
'

test_expect_success 'cancel: a sender at work sends nothing more of it' '
	: >"$SIM_LOG" &&
	HB_SIM_RATE=20 hb_sim_conf "daily_limit = 0" &&
	echo "Konzert heute Abend" >concert &&
	{ hb-broadcast -c telegram send concert >id & } && pid=$! &&
	test_wait_for grep -q Konzert "$SIM_LOG" &&
	hb-broadcast cancel "$(cat id)" &&
	wait $pid &&
	sent=$(grep -c Konzert "$SIM_LOG") &&
	say "$sent of 60 went before the cancel" &&
	test "$sent" -lt 60 &&
	hb-broadcast -j status "$(cat id)" >status &&
	jq -e ".sent == $sent and .skipped == 60 - $sent and .why.cancelled == 60 - $sent" status &&
	hb-broadcast run &&
	test "$(grep -c Konzert "$SIM_LOG")" = "$sent"
'

test_expect_success 'a broadcast cancelled after it began counts against daily_limit' '
	# A store of its own, where nothing else went out today.
	(
		HB_HOME=$TRASH_DIRECTORY/store.limit &&
		export HB_HOME &&
		HB_SIM_RATE=20 hb_sim_conf "daily_limit = 1" &&
		hb_subscribers 1 60 &&
		echo "Lesung heute Abend" >reading &&
		{ hb-broadcast -c telegram send reading >id & } && pid=$! &&
		test_wait_for grep -q Lesung "$SIM_LOG" &&
		hb-broadcast cancel "$(cat id)" &&
		wait $pid &&
		test_expect_code 75 hb-broadcast -c telegram send news 2>err &&
		test_grep "telegram has had its 1 regular broadcast on" err
	)
'

test_done
