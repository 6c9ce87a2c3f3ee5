#!/bin/sh
test_description='hb-ingest poll: Telegram getUpdates, the offset kept in the store'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# update ID CHAT TEXT
update () {
	jq -nc --argjson u "$1" --argjson c "$2" --arg t "$3" \
	    '{update_id: $u, message: {message_id: $u, date: 1767772800,
	      from: {id: $c, first_name: "Ida"}, chat: {id: $c, type: "private"},
	      text: $t}}'
}

# active ID: is ID an active subscriber?
active () {
	hb-subscribe list -s active | cut -f1 | grep -qx "$1"
}

test_expect_success 'start the simulator' '
	hb_start_sim &&
	hb_secret tg.token "4711:secret-token" &&
	hb_write_conf "[telegram]" "api = $SIM_URL" "token_file = $TRASH_DIRECTORY/tg.token"
'

test_expect_success 'poll -1 fetches the waiting updates once and stores them' '
	hb_sim /sim/telegram/updates "[$(update 500 21 Start),$(update 501 21 Frage),$(update 502 22 Start)]" &&
	hb-ingest poll -1 >events &&
	jq -sc "map([.event, .id])" events >got &&
	echo "[[\"subscribe\",\"telegram:21\"],[\"message\",\"telegram:21\"],[\"subscribe\",\"telegram:22\"]]" >expect &&
	test_cmp expect got &&
	hb-subscribe list -s active | cut -f1 >ids &&
	test_grep -x telegram:22 ids
'

test_expect_success 'the request names the token in the path, the offset and the updates it wants' '
	head -n 1 "$SIM_LOG" >first &&
	jq -e ".path == \"/bot4711:secret-token/getUpdates\" and .body.offset == 0 and
	    .body.timeout == 0 and (.body.allowed_updates | index(\"my_chat_member\"))" first
'

test_expect_success 'the next round asks from the stored offset: nothing twice' '
	hb-ingest poll -1 >events &&
	test_must_fail test -s events &&
	tail -n 1 "$SIM_LOG" | jq -e ".body.offset == 503" &&
	hb-subscribe show telegram:21 >out &&
	jq -e ".messages | length == 2" out
'

test_expect_success 'a bad update is skipped, not retried for ever' '
	hb_sim /sim/telegram/updates "[{\"update_id\":503,\"message\":{\"chat\":\"x\"}},$(update 504 23 Start)]" &&
	hb-ingest poll -1 >events 2>err &&
	test_grep "telegram update 503: " err &&
	jq -e ".id == \"telegram:23\"" events &&
	hb-ingest poll -1 >events &&
	tail -n 1 "$SIM_LOG" | jq -e ".body.offset == 505"
'

test_expect_success 'a bad token is final (69), a server error worth retrying (75)' '
	hb_sim /sim/fault "{\"path\":\"getUpdates\",\"status\":401,\"body\":{\"ok\":false,\"error_code\":401,\"description\":\"Unauthorized\"}}" &&
	test_expect_code 69 hb-ingest poll -1 2>err &&
	test_grep "telegram getUpdates: 401 Unauthorized" err &&
	hb_sim /sim/fault "{\"path\":\"getUpdates\",\"status\":409,\"body\":{\"ok\":false,\"error_code\":409,\"description\":\"Conflict\"}}" &&
	test_expect_code 69 hb-ingest poll -1 2>err &&
	test_grep "delete the webhook" err &&
	hb_sim /sim/fault "{\"path\":\"getUpdates\",\"status\":502,\"body\":{}}" &&
	test_expect_code 75 hb-ingest poll -1 &&
	hb_sim /sim/fault "{\"path\":\"getUpdates\",\"status\":429,\"body\":{\"ok\":false,\"error_code\":429,\"description\":\"Too Many Requests: retry after 3\",\"parameters\":{\"retry_after\":3}}}" &&
	test_expect_code 75 hb-ingest poll -1 2>err &&
	test_grep "429 Too Many Requests" err
'

test_expect_success 'the token appears in no message' '
	! grep -r "secret-token" err
'

test_expect_success 'poll runs on until SIGTERM, storing what comes' '
	{ hb-ingest poll >events 2>err & } &&
	pid=$! &&
	hb_sim /sim/telegram/updates "[$(update 505 24 Start)]" &&
	test_wait_for active telegram:24 &&
	kill -TERM $pid &&
	wait $pid &&
	jq -e ".id == \"telegram:24\"" events
'

test_expect_success 'without a [telegram] section poll is a configuration error' '
	hb_write_conf &&
	test_expect_code 78 hb-ingest poll -1 2>err &&
	test_grep "no \[telegram\] section" err
'

test_done
