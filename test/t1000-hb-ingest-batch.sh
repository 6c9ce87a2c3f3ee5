#!/bin/sh
test_description='hb-ingest batch mode: messages, keywords, statuses, replay, hooks'
. "${0%/*}/test-lib.sh"
. "$TEST_DIRECTORY/lib-httpd.sh"

DATA=$TEST_DIRECTORY/data/ingest

# tg ID TEXT: a Telegram update from chat ID.  Update ids count up in a
# file, as tg often runs in a pipeline's subshell.
echo 1000 >"$TRASH_DIRECTORY/.update"
tg () {
	update=$(($(cat "$TRASH_DIRECTORY/.update") + 1))
	echo $update >"$TRASH_DIRECTORY/.update"
	jq -nc --argjson u $update --argjson id "$1" --arg t "$2" \
	    '{update_id: $u, message: {message_id: $u, date: (1767772800 + $u),
	      from: {id: $id, first_name: "Max", language_code: "de"},
	      chat: {id: $id, type: "private"}, text: $t}}'
}

# write_hook name: a hook that appends its input and argument count.
write_hook () {
	cat >"hooks/$1" <<-EOF &&
	#!/bin/sh
	cat >>"$TRASH_DIRECTORY/hook.$1"
	echo "args: \$#" >>"$TRASH_DIRECTORY/hook.$1"
	EOF
	chmod +x "hooks/$1"
}

test_expect_success 'set up' '
	hb_full_conf &&
	mkdir hooks
'

test_expect_success 'batch mode reads one body per file and prints the events' '
	hb-ingest "$DATA/wa-start.json" "$DATA/ms-start.json" >events &&
	jq -se "length == 2 and .[0].event == \"subscribe\" and
	    .[0].id == \"whatsapp:4917012345678\" and .[1].channel == \"messenger\"" events &&
	jq -se "all(.time | test(\"Z$\"))" events
'

test_expect_success 'batch mode reads one body per line, from stdin' '
	{ tg 11 Start; tg 12 Start; tg 11 "Wann kommt der Bus?"; } >in &&
	hb-ingest <in >events &&
	jq -sc "map([.event, .id, .text])" events >got &&
	echo "[[\"subscribe\",\"telegram:11\",\"Start\"],[\"subscribe\",\"telegram:12\",\"Start\"],[\"message\",\"telegram:11\",\"Wann kommt der Bus?\"]]" >expect &&
	test_cmp expect got
'

test_expect_success 'the same bodies again are duplicates: nothing new' '
	hb-ingest <in >events &&
	test_must_fail test -s events &&
	hb-subscribe show telegram:11 >out &&
	jq -e ".messages | length == 2" out
'

test_expect_success 'a chat message updates the person and starts the window' '
	hb-subscribe -j list -c telegram >out &&
	jq -se ".[] | select(.id == \"telegram:11\") | .name == \"Max\" and
	    .last_inbound == \"2026-01-07T08:16:43Z\"" out
'

test_expect_success 'someone who writes without subscribing is stopped, never subscribed' '
	tg 13 "Hallo Stadt" | hb-ingest >events &&
	jq -e ".event == \"message\"" events &&
	hb-subscribe -j list -s stopped >out &&
	jq -se ".[] | select(.id == \"telegram:13\") | .since == null" out
'

test_expect_success 'Stopp unsubscribes and queues the goodbye; a sentence does not' '
	{ tg 12 "Bitte nicht stoppen"; tg 12 "Stopp!"; } | hb-ingest >events &&
	jq -sc "map(.event)" events >got &&
	echo "[\"message\",\"unsubscribe\"]" >expect &&
	test_cmp expect got &&
	hb-subscribe show telegram:12 >out &&
	jq -e ".subscriber.state == \"stopped\" and
	    (.outbox | map(.kind) == [\"welcome\", \"goodbye\"])" out
'

test_expect_success 'bodies committed together apply in the platform'"'"'s time order' '
	# The Stopp came second but stands first: the platform retried the
	# Start, or the spool listed it later.  The Stopp must win.
	tg 4300 Start >start.json &&
	tg 4300 Stopp >stopp.json &&
	cat stopp.json start.json | hb-ingest >events &&
	jq -r .event events >order &&
	printf "subscribe\nunsubscribe\n" >expect &&
	test_cmp expect order &&
	test_json ".subscriber.state == \"stopped\"" hb-subscribe show telegram:4300
'

test_expect_success 'Hilfe and Meine Daten queue their answers' '
	{ tg 11 Hilfe; tg 11 "Meine Daten"; } | hb-ingest >events &&
	jq -sc "map(.keyword)" events >got &&
	echo "[\"help\",\"mydata\"]" >expect &&
	test_cmp expect got &&
	hb-subscribe show telegram:11 >out &&
	jq -r ".outbox[] | select(.kind == \"mydata\") | .text" out >mydata &&
	test_grep "^Konto: telegram:11$" mydata &&
	test_grep "^Name: Max$" mydata &&
	test_grep "^Ihre Nachrichten an uns: 4$" mydata
'

test_expect_success 'Alle Daten löschen erases everything but the confirmation' '
	tg 11 "Alle Daten löschen" | hb-ingest >events &&
	jq -e ".event == \"erase\" and .id == \"telegram:11\"" events &&
	test_expect_code 65 hb-subscribe show telegram:11 &&
	hb-subscribe list | cut -f1 >ids &&
	test_must_fail grep -x telegram:11 ids
'

test_expect_success 'Get Started and other postbacks' '
	jq -nc "{object: \"page\", entry: [{id: \"1\", time: 1, messaging: [
	    {sender: {id: \"700\"}, recipient: {id: \"104857600123456\"}, timestamp: 1767772800000,
	     postback: {title: \"Los geht es\", payload: \"GET_STARTED\", mid: \"m_pb1\"}},
	    {sender: {id: \"701\"}, recipient: {id: \"104857600123456\"}, timestamp: 1767772800000,
	     postback: {title: \"Abmelden\", payload: \"MENU_3\", mid: \"m_pb2\"}},
	    {sender: {id: \"702\"}, recipient: {id: \"104857600123456\"}, timestamp: 1767772800000,
	     postback: {title: \"Egal\", payload: \"STOP\", mid: \"m_pb3\"}}]}]}" |
	hb-ingest >events &&
	jq -sc "map([.event, .id])" events >got &&
	echo "[[\"subscribe\",\"messenger:700\"],[\"unsubscribe\",\"messenger:701\"],[\"unsubscribe\",\"messenger:702\"]]" >expect &&
	test_cmp expect got
'

test_expect_success 'a button without a date counts from its arrival, not 1970' '
	jq -nc "{update_id: 4001, callback_query: {id: \"q\", from: {id: 31, first_name: \"Jo\"},
	    data: \"Start\"}}" | hb-ingest >events &&
	jq -e ".event == \"subscribe\" and .id == \"telegram:31\"" events &&
	hb-subscribe -j show telegram:31 >out &&
	jq -e ".subscriber.last_inbound | startswith(\"1970\") | not" out
'

test_expect_success 'non-text messages are stored by type; edits never act' '
	jq -nc "{update_id: 5001, message: {message_id: 1, date: 1767772900,
	    from: {id: 14}, chat: {id: 14, type: \"private\"},
	    photo: [{file_id: \"x\"}], caption: \"Schlagloch\"}}" >in &&
	jq -nc "{update_id: 5002, message: {message_id: 2, date: 1767772901,
	    from: {id: 14}, chat: {id: 14, type: \"private\"},
	    location: {latitude: 49.14, longitude: 9.22}}}" >>in &&
	jq -nc "{update_id: 5003, edited_message: {message_id: 3, date: 1767772902,
	    edit_date: 1767772999, from: {id: 14}, chat: {id: 14, type: \"private\"},
	    text: \"Stopp\"}}" >>in &&
	jq -nc "{update_id: 5004, message: {message_id: 4, date: 1767772903,
	    from: {id: 15}, chat: {id: -100, type: \"group\"}, text: \"Start\"}}" >>in &&
	hb-ingest <in >events &&
	jq -sc "map([.event, .type])" events >got &&
	echo "[[\"message\",\"photo\"],[\"message\",\"location\"],[\"message\",\"text\"]]" >expect &&
	test_cmp expect got &&
	hb-subscribe show telegram:14 >out &&
	jq -e ".messages[0].text == \"Schlagloch\" and .messages[2].edited == true" out
'

test_expect_success 'WhatsApp: a batched body, reactions, buttons, the BSUID kept' '
	jq -c ".entry[0].changes[0].value.messages += [
	    {from: \"4917012345678\", id: \"wamid.R1\", timestamp: \"1767772900\",
	     type: \"reaction\", reaction: {message_id: \"wamid.X\", emoji: \"👍\"}},
	    {from: \"4917012345678\", id: \"wamid.B1\", timestamp: \"1767772901\",
	     type: \"button\", button: {text: \"Abmelden\", payload: \"p\"}}]" \
	    "$DATA/wa-start.json" | hb-ingest >events &&
	jq -sc "map([.event, .type])" events >got &&
	echo "[[\"message\",\"reaction\"],[\"unsubscribe\",\"button\"]]" >expect &&
	test_cmp expect got &&
	hb-subscribe show whatsapp:4917012345678 >out &&
	jq -e ".subscriber.alias == \"DE.4711081547110815\" and
	    .subscriber.phone == \"4917012345678\"" out
'

test_expect_success 'WhatsApp without a phone: keyed on the BSUID' '
	jq -c "del(.entry[0].changes[0].value.messages[0].from) |
	    del(.entry[0].changes[0].value.contacts[0].wa_id) |
	    .entry[0].changes[0].value.messages[0].id = \"wamid.NOPHONE\" |
	    .entry[0].changes[0].value.messages[0].from_user_id = \"DE.99\" |
	    .entry[0].changes[0].value.contacts[0].user_id = \"DE.99\"" \
	    "$DATA/wa-start.json" | hb-ingest >events &&
	jq -e ".id == \"whatsapp:DE.99\"" events
'

test_expect_success 'a number change moves the person, their conversation and deliveries' '
	echo "{\"bc\": 7, \"id\": \"whatsapp:4917012345678\", \"state\": \"sent\", \"pid\": \"whatsapp:wamid.MOVE\"}" |
	    hb-test-put deliveries &&
	jq -nc "{object: \"whatsapp_business_account\", entry: [{id: \"1\", changes: [{field: \"messages\", value: {
	    messages: [{from: \"4917012345678\", id: \"wamid.SYS\", timestamp: \"1767773000\",
	      type: \"system\", system: {body: \"changed\", new_wa_id: \"4917099999999\",
	      type: \"user_changed_number\"}}]}}]}]}" | hb-ingest >events &&
	jq -e ".event == \"renumber\" and .id == \"whatsapp:4917099999999\" and
	    .old_id == \"whatsapp:4917012345678\"" events &&
	test_expect_code 65 hb-subscribe show whatsapp:4917012345678 &&
	hb-subscribe show whatsapp:4917099999999 >out &&
	jq -e ".subscriber.phone == \"4917099999999\" and (.messages | length) == 3" out &&
	jq -e ".deliveries | length == 1 and .[0].id == \"whatsapp:4917099999999\" and .[0].bc == 7" out &&
	# Nothing stays under the old number, where an erasure would miss it.
	hb-purge erase whatsapp:4917099999999 >receipt &&
	hb-purge scrub &&
	! grep -r -a -q 4917012345678 "$HB_HOME"
'

test_expect_success 'a number change as current API versions send it (system.wa_id)' '
	tg_wa () {
		jq -nc --arg sys "$1" "{object: \"whatsapp_business_account\", entry: [{id: \"1\", changes: [{field: \"messages\", value: {
		    messages: [{from: \"4917055500001\", id: \"wamid.SYS2\", timestamp: \"1767773100\",
		      type: \"system\", system: (\$sys | fromjson)}]}}]}]}"
	} &&
	hb-subscribe add whatsapp:4917055500001 &&
	tg_wa "{\"body\": \"changed\", \"type\": \"user_changed_number\", \"wa_id\": \"4917055500002\", \"user_id\": \"DE.NEW1\", \"previous_user_id\": \"DE.OLD1\"}" |
	    hb-ingest >events &&
	jq -e ".event == \"renumber\" and .id == \"whatsapp:4917055500002\"" events &&
	test_expect_code 65 hb-subscribe show whatsapp:4917055500001 &&
	test_json ".subscriber.state == \"active\"" hb-subscribe show whatsapp:4917055500002
'

test_expect_success 'a BSUID that changes alone moves the person (user_changed_user_id)' '
	hb-subscribe add whatsapp:DE.OLD2 &&
	jq -nc "{object: \"whatsapp_business_account\", entry: [{id: \"1\", changes: [{field: \"messages\", value: {
	    messages: [{id: \"wamid.SYS3\", timestamp: \"1767773200\", type: \"system\",
	      system: {body: \"changed\", type: \"user_changed_user_id\",
	        user_id: \"DE.NEW2\", previous_user_id: \"DE.OLD2\"}}]}}]}]}" |
	    hb-ingest >events &&
	jq -e ".event == \"renumber\" and .old_id == \"whatsapp:DE.OLD2\" and .id == \"whatsapp:DE.NEW2\"" events &&
	test_expect_code 65 hb-subscribe show whatsapp:DE.OLD2 &&
	test_json ".subscriber.state == \"active\"" hb-subscribe show whatsapp:DE.NEW2
'

test_expect_success 'Telegram: a block marks the subscriber unreachable' '
	jq -nc "{update_id: 6001, my_chat_member: {chat: {id: 12, type: \"private\"},
	    from: {id: 12}, date: 1767859200,
	    old_chat_member: {status: \"member\"}, new_chat_member: {status: \"kicked\"}}}" |
	hb-ingest >events &&
	jq -e ".event == \"unreachable\" and .id == \"telegram:12\"" events &&
	hb-subscribe list -s unreachable | cut -f1 >ids &&
	test_grep -x telegram:12 ids
'

test_expect_success 'statuses move city messages forward, never back' '
	hb-subscribe add whatsapp:4917055555555 messenger:800 &&
	# Deliveries as hb-broadcast will write them.
	for s in "1 whatsapp:4917055555555 wamid.OUT1" "1 messenger:800 m_out1" \
	    "2 messenger:800 m_out2"; do
		set -- $s &&
		jq -nc --argjson bc "$1" --arg id "$2" --arg pid "${2%%:*}:$3" \
		    "{bc: \$bc, id: \$id, state: \"sent\", pid: \$pid,
		      sent_at: 1767772000}" || return 1
	done >deliveries &&
	hb-test-put deliveries <deliveries &&
	jq -nc "{object: \"whatsapp_business_account\", entry: [{id: \"1\", changes: [{field: \"messages\", value: {
	    statuses: [
	     {id: \"wamid.OUT1\", status: \"read\", timestamp: \"1767773010\", recipient_id: \"4917055555555\"},
	     {id: \"wamid.OUT1\", status: \"delivered\", timestamp: \"1767773020\", recipient_id: \"4917055555555\"}]}}]}]}" |
	hb-ingest >events &&
	jq -sc "map([.event, .status])" events >got &&
	echo "[[\"status\",\"read\"],[\"status\",\"delivered\"]]" >expect &&
	test_cmp expect got &&
	hb-subscribe show whatsapp:4917055555555 >out &&
	jq -e ".deliveries[0].state == \"read\" and .deliveries[0].read_at == \"2026-01-07T08:03:30Z\"" out
'

test_expect_success 'a body for another number or page is taken and passed over' '
	jq -c ".entry[0].changes[0].value.metadata.phone_number_id = \"999\" |
	    .entry[0].changes[0].value.messages[0].id = \"wamid.OTHER\" |
	    .entry[0].changes[0].value.messages[0].from = \"4917077700001\" |
	    .entry[0].changes[0].value.contacts[0].wa_id = \"4917077700001\"" \
	    "$DATA/wa-start.json" >wa-other.json &&
	jq -nc "{object: \"page\", entry: [{id: \"999\", time: 1, messaging: [
	    {sender: {id: \"777001\"}, recipient: {id: \"999\"}, timestamp: 1767772800000,
	     message: {mid: \"m_other\", text: \"Start\"}}]}]}" >ms-other.json &&
	hb-ingest wa-other.json ms-other.json >events &&
	test_must_be_empty events &&
	test_expect_code 65 hb-subscribe show whatsapp:4917077700001 &&
	test_expect_code 65 hb-subscribe show messenger:777001
'

test_expect_success 'Instagram: a message its author deleted loses its text' '
	ig () {
		jq -nc --argjson del "$1" "{object: \"instagram\", entry: [{id: \"17841400000000000\", time: 1, messaging: [
		    {sender: {id: \"9911\"}, recipient: {id: \"17841400000000000\"}, timestamp: 1767772800000,
		     message: ({mid: \"m_del\", text: \"Meine Adresse ist Hauptstr. 1\"} +
		       (if \$del then {is_deleted: true} else {} end))}]}]}"
	} &&
	ig false | hb-ingest >/dev/null &&
	ig true | hb-ingest >events &&
	jq -e ".event == \"message\" and .type == \"deleted\"" events &&
	test_json ".messages | length == 1 and .[0].deleted and .[0].text == null" \
	    hb-subscribe show instagram:9911 &&
	hb-subscribe show instagram:9911 >out &&
	! grep -q Hauptstr out
'

test_expect_success 'a Messenger watermark covers everything sent before it' '
	jq -nc "{object: \"page\", entry: [{id: \"1\", time: 1, messaging: [
	    {sender: {id: \"800\"}, recipient: {id: \"104857600123456\"}, timestamp: 1767773000000,
	     delivery: {watermark: 1767772500000}}]}]}" | hb-ingest >events &&
	hb-subscribe show messenger:800 >out &&
	jq -e ".deliveries | map(.state) == [\"delivered\", \"delivered\"]" out
'

test_expect_success 'WhatsApp 131026 marks the recipient unreachable' '
	jq -nc "{object: \"whatsapp_business_account\", entry: [{id: \"1\", changes: [{field: \"messages\", value: {
	    statuses: [{id: \"wamid.OUT1\", status: \"failed\", timestamp: \"1767773030\",
	      recipient_id: \"4917055555555\", errors: [{code: 131026, title: \"x\"}]}]}}]}]}" |
	hb-ingest >events &&
	jq -sc "map(.event)" events >got &&
	echo "[\"status\",\"unreachable\"]" >expect &&
	test_cmp expect got &&
	hb-subscribe show whatsapp:4917055555555 >out &&
	jq -e ".subscriber.state == \"unreachable\" and .deliveries[0].state == \"failed\"" out
'

test_expect_success 'replay (-r) stores and acts on states, queues nothing, runs no hook' '
	write_hook on-subscribe &&
	tg 16 Start | hb-ingest -r >events &&
	jq -e ".event == \"subscribe\"" events &&
	hb-subscribe show telegram:16 >out &&
	jq -e ".subscriber.state == \"active\" and .outbox == []" out &&
	test_must_fail test -e hook.on-subscribe
'

test_expect_success 'hooks get each event on stdin, nothing in argv' '
	write_hook on-message &&
	write_hook on-subscribe &&
	{ tg 17 Start; tg 17 "Eine Frage"; } | hb-ingest >events &&
	head -n 1 hook.on-subscribe |
	jq -e ".event == \"subscribe\" and .id == \"telegram:17\"" &&
	test_grep "^args: 0$" hook.on-subscribe &&
	head -n 1 hook.on-message | jq -e ".text == \"Eine Frage\""
'

test_expect_success 'a failing or hanging hook loses nothing' '
	hb_full_conf "hook_timeout = 1" &&
	printf "#!/bin/sh\nexit 3\n" >hooks/on-subscribe &&
	printf "#!/bin/sh\nsleep 30 && touch \"%s/late\"\n" "$TRASH_DIRECTORY" >hooks/on-message &&
	chmod +x hooks/* &&
	{ tg 18 Start; tg 18 "Noch eine Frage"; } | hb-ingest >events 2>err &&
	test_grep "hook .*on-subscribe. failed (status 3)" err &&
	test_grep "hook .*on-message. ran longer than 1 s, killed" err &&
	hb-subscribe show telegram:18 >out &&
	jq -e ".messages | length == 2" out &&
	sleep 1 && test_must_fail test -e late
'

test_expect_success 'a hook that reads nothing of a large event is killed in time' '
	printf "#!/bin/sh\nsleep 30\n" >hooks/on-message &&
	chmod +x hooks/on-message &&
	# 40000 line breaks are 80000 bytes of JSON: more than a pipe holds.
	tg 21 "$(printf "x%.0s\n" $(seq 1 40000))" >big.json &&
	test_expect_code 0 timeout 20 hb-ingest big.json >events 2>err &&
	test_grep "hook .*on-message. ran longer than 1 s, killed" err &&
	test_json ".messages | length == 1" hb-subscribe show telegram:21
'

test_expect_success 'a hook inherits no secret of the environment' '
	printf "#!/bin/sh\nenv >\"%s/hook.env\"\n" "$TRASH_DIRECTORY" >hooks/on-message &&
	chmod +x hooks/on-message &&
	tg 22 "Hallo" >hello.json &&
	HTTP_X_TELEGRAM_BOT_API_SECRET_TOKEN=tg-secret-4711 \
	    hb-ingest hello.json >events &&
	test_grep "^PATH=" hook.env &&
	! grep -q tg-secret-4711 hook.env
'

test_expect_success 'bad bodies in a batch are named, the good ones stored (exit 65)' '
	{ tg 19 "Erste"; echo "{not json"; echo "{\"object\":\"user\"}"; tg 19 "Zweite"; } >mixed &&
	test_expect_code 65 hb-ingest mixed >events 2>err &&
	test_grep "mixed:2: not JSON" err &&
	test_grep "mixed:3: unknown \"object\"" err &&
	test $(wc -l <events) -eq 2
'

test_expect_success 'a body the store cannot take is named; the others are stored (exit 65)' '
	hb_tg_update 7301 "Alle Daten löschen" 7301 | hb-ingest >/dev/null &&
	hb-test-damage telegram:7302 &&
	{
		hb_tg_update 7303 Start 7303 &&
		hb_tg_update 7302 Start 7302 &&
		hb_tg_update 7304 Start 7304
	} >damaged &&
	test_expect_code 65 hb-ingest damaged >events 2>err &&
	test_grep "damaged:2: the store could not take it" err &&
	jq -r "select(.event == \"subscribe\") | .id" events >ids &&
	printf "telegram:7303\ntelegram:7304\n" >expect &&
	test_cmp expect ids
'

test_expect_success 'a body of a channel without a section is refused, as in CGI' '
	hb_write_conf "[telegram]" "token_file = $TRASH_DIRECTORY/tg.token" &&
	test_expect_code 65 hb-ingest "$DATA/ms-start.json" 2>err &&
	test_grep "ms-start.json:1: messenger is not configured" err &&
	hb_full_conf
'

test_expect_success 'a body of another channel than -c is refused' '
	test_expect_code 65 hb-ingest -c telegram "$DATA/ms-start.json" 2>err &&
	test_grep "a messenger body, not telegram" err
'

test_expect_success 'the store verifies clean' '
	test_store_verify
'

test_done
