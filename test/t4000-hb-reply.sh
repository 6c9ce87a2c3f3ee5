#!/bin/sh
test_description='hb-reply: inbox, show, send, follow, done, and the examples'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# meta object id text ts mid: a Messenger/Instagram message.
meta () {
	jq -nc --arg o "$1" --arg s "$2" --arg t "$3" --argjson ts "$4" --arg mid "$5" \
	    '{object: $o, entry: [{id: "1", time: 1, messaging: [{sender: {id: $s},
	      recipient: {id: (if $o == "page" then "2200" else "3300" end)}, timestamp: $ts, message: {mid: $mid, text: $t}}]}]}'
}
now=$(date +%s)

# file_holds file text: file holds just text (for test_wait_for, which
# runs its command anew each try).
file_holds () {
	test "$(cat "$1" 2>/dev/null)" = "$2"
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf &&
	hb_tg_update 11 "Wann öffnet das Bürgerbüro?" 1 | hb-ingest >/dev/null &&
	hb_tg_update 12 Start 2 | hb-ingest >/dev/null &&
	sleep 1 &&
	hb_tg_update 13 "Die Ampel ist kaputt.
Zweite Zeile" 3 | hb-ingest >/dev/null
'

test_expect_success 'inbox: unanswered conversations, oldest first; keywords are none' '
	hb-reply inbox >inbox &&
	cut -f1,2,5 inbox >got &&
	printf "telegram:11\ttelegram\tWann öffnet das Bürgerbüro?\ntelegram:13\ttelegram\tDie Ampel ist kaputt.\n" >expect &&
	test_cmp expect got &&
	test_json -s "length == 2 and .[0].id == \"telegram:11\" and .[0].name == \"Max\"" hb-reply -j inbox &&
	test_json -s ".[] | select(.id == \"telegram:11\") | .unanswered | test(\"^[0-9-]{10}T[0-9:]{8}Z$\")" \
	    hb-subscribe -j list &&
	test_json ".subscriber.unanswered | test(\"Z$\")" hb-subscribe show telegram:11
'

test_expect_success 'send: from stdin, records the operator'"'"'s login, leaves the inbox' '
	echo "Montags ab 8 Uhr." | USER=presse hb_sudo daemon hb-reply send telegram:11 &&
	hb_sent_to telegram:11 &&
	jq -e ".text == \"Montags ab 8 Uhr.\"" sent_to &&
	hb-reply -j show telegram:11 >conv &&
	jq -s -e "length == 2 and .[0].dir == \"in\" and .[1].dir == \"out\" and .[1].operator == \"daemon\" and .[1].state == \"sent\"" conv &&
	hb-reply inbox | cut -f1 >ids &&
	echo telegram:13 >expect &&
	test_cmp expect ids
'

test_expect_success 'send -u adds a display name to the login; a file works too' '
	echo "Wir kümmern uns." >answer &&
	hb-reply send -u "Anna Weber" telegram:13 answer &&
	hb-reply show telegram:13 >conv &&
	test_grep "out	text	sent	$(id -un) (Anna Weber)	Wir kümmern uns.$" conv &&
	test_expect_code 64 hb-reply send -u "$(printf "Anna\\033[2J")" telegram:13 answer 2>err &&
	test_grep "without control characters" err &&
	test_grep "in	text	-	-	Die Ampel ist kaputt.\\\\nZweite Zeile$" conv
'

test_expect_success 'the window: WhatsApp refuses after 24 hours, Messenger tags within 7 days' '
	echo "{\"id\":\"whatsapp:4917011111111\",\"state\":\"active\",\"last_inbound\":\"$(date -u -d @$((now - 2 * 86400)) +%Y-%m-%dT%H:%M:%SZ)\"}" >old.jsonl &&
	echo "{\"id\":\"messenger:5551\",\"state\":\"active\",\"last_inbound\":\"$(date -u -d @$((now - 2 * 86400)) +%Y-%m-%dT%H:%M:%SZ)\"}" >>old.jsonl &&
	echo "{\"id\":\"instagram:5552\",\"state\":\"active\",\"last_inbound\":\"$(date -u -d @$((now - 8 * 86400)) +%Y-%m-%dT%H:%M:%SZ)\"}" >>old.jsonl &&
	hb-subscribe import old.jsonl &&
	echo Hallo | test_expect_code 69 hb-reply send whatsapp:4917011111111 2>err &&
	test_grep "whatsapp accepts free text only within 24 hours" err &&
	test_grep "it opens again when they write" err &&
	! hb_sent_to whatsapp:4917011111111 &&
	echo Hallo | hb-reply send messenger:5551 &&
	hb_sent_to messenger:5551 &&
	jq -e ".body.messaging_type == \"MESSAGE_TAG\" and .body.tag == \"HUMAN_AGENT\"" sent_to &&
	echo Hallo | test_expect_code 69 hb-reply send instagram:5552 2>err &&
	test_grep "within 7 days" err
'

test_expect_success 'a temporary failure: exit 75, kept, and run sends it' '
	hb_tg_update 14 "Frage" 4 | hb-ingest >/dev/null &&
	hb_sim /sim/recipient "{\"to\":\"14\",\"behaviour\":\"tempfail\",\"count\":1}" &&
	echo "Antwort" | test_expect_code 75 hb-reply send telegram:14 2>err &&
	test_grep "hb-broadcast run sends it" err &&
	test_json -s ".[1].state == \"queued\"" hb-reply -j show telegram:14 &&
	hb-broadcast run &&
	test_json -s ".[1].state == \"sent\" and (.[1].pid | startswith(\"telegram:14:\"))" hb-reply -j show telegram:14
'

test_expect_success 'an answer kept after a failure keeps its HUMAN_AGENT tag' '
	hb_sim /sim/recipient "{\"to\":\"5551\",\"behaviour\":\"tempfail\",\"count\":1}" &&
	echo "Später" | test_expect_code 75 hb-reply send messenger:5551 2>err &&
	hb-broadcast run &&
	hb_sent_to messenger:5551 &&
	jq -s -e "map(select(.text == \"Später\")) | length == 2 and
	    all(.body.messaging_type == \"MESSAGE_TAG\" and .body.tag == \"HUMAN_AGENT\")" sent_to
'

test_expect_success 'done marks a conversation handled without answering' '
	hb_tg_update 15 "Nur zur Info" 5 | hb-ingest >/dev/null &&
	hb-reply inbox >inbox &&
	grep -q "^telegram:15" inbox &&
	hb-reply done telegram:15 &&
	hb-reply inbox >inbox &&
	! grep -q "^telegram:15" inbox &&
	test_expect_code 65 hb-reply done telegram:99 &&
	test_expect_code 65 hb-reply show telegram:99
'

test_expect_success 'what a citizen sends cannot reach the terminal as control codes' '
	esc=$(printf "\033") &&
	csi=$(printf "\302\233") &&
	jq -nc --arg t "${esc}[2J${esc}]0;pwned${csi}31mrot\\" --arg n "Eve${esc}[8m" \
	    --argjson d "$(date +%s)" \
	    "{update_id: 77, message: {message_id: 77, date: \$d,
	      from: {id: 77, first_name: \$n}, chat: {id: 77, type: \"private\"},
	      text: \$t}}" | hb-ingest >/dev/null &&
	hb-reply inbox >inbox &&
	hb-reply show telegram:77 >show &&
	hb-subscribe list >list &&
	for f in inbox show list; do
		! grep -q "$esc" $f && ! grep -q "$csi" $f || return 1
	done &&
	test_grep "\\\\x1b\[2J\\\\x1b\]0;pwned\\\\u009b31mrot\\\\\\\\$" show &&
	test_grep "Eve\\\\x1b\[8m" list &&
	hb-reply done telegram:77
'

test_expect_success 'follow: a restart with -s misses nothing and repeats nothing' '
	{ hb-reply follow >follow.1 & } && pid=$! &&
	test_wait_for test -s follow.1 &&
	hb_tg_update 16 "erste" 6 | hb-ingest >/dev/null &&
	test_wait_for grep -q erste follow.1 &&
	kill $pid && ! wait $pid &&
	last=$(tail -n 1 follow.1 | jq .seq) &&
	hb_tg_update 16 "zweite" 7 | hb-ingest >/dev/null &&
	hb_tg_update 16 "dritte" 8 | hb-ingest >/dev/null &&
	{ hb-reply follow -s "$last" >follow.2 & } && pid=$! &&
	test_wait_for grep -q dritte follow.2 &&
	kill $pid && ! wait $pid &&
	jq -r "select(.id == \"telegram:16\") | .text" follow.1 follow.2 >texts &&
	printf "erste\nzweite\ndritte\n" >expect &&
	test_cmp expect texts &&
	jq -e ".event == \"message\" and .channel == \"telegram\" and (.seq | type) == \"number\"" follow.2 >/dev/null &&
	# A Start is a subscribe event, as hb-ingest names it.
	jq -s -e "map(select(.id == \"telegram:12\")) | .[0].event == \"subscribe\"" follow.1
'

test_expect_success 'an erased person is gone from every view' '
	hb_tg_update 13 "Alle Daten löschen" 9 | hb-ingest >/dev/null &&
	test_expect_code 65 hb-reply show telegram:13 &&
	hb-reply inbox >inbox &&
	! grep -q telegram:13 inbox &&
	{ hb-reply follow >follow.3 & } && pid=$! &&
	test_wait_for test -s follow.3 &&
	kill $pid && ! wait $pid &&
	! grep -q Ampel follow.3
'

# writes who: 20 messages from telegram:who, one hb-ingest each.
writes () {
	i=1
	while [ $i -le 20 ]; do
		hb_tg_update "$1" "Nachricht $i von $1" $(($1 * 100 + i)) |
		    hb-ingest >/dev/null || return 1
		i=$((i + 1))
	done
}

test_expect_success 'two citizens write while a broadcast runs: each conversation is its own' '
	HB_SIM_RATE=100 hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 1 100 &&
	echo "Heute: Stadtfest." >news &&
	{ hb-broadcast send news >id & } && b=$! &&
	{ writes 21 & } && w1=$! &&
	{ writes 22 & } && w2=$! &&
	wait $w1 && wait $w2 && wait $b &&
	for who in 21 22; do
		hb-reply -j show telegram:$who | jq -r .text >got.$who &&
		i=1 && : >expect.$who &&
		while [ $i -le 20 ]; do
			echo "Nachricht $i von $who" >>expect.$who
			i=$((i + 1))
		done &&
		test_cmp expect.$who got.$who || return 1
	done &&
	test_json -s "map(.deferred) | add == 0" hb-broadcast -j status "$(cat id)"
'

test_expect_success 'auto-reply.sh answers questions outside office hours' '
	hb_sim_conf &&
	echo "Wir antworten ab Montag." >away &&
	hb_tg_update 31 "Hallo?" 31 | hb-ingest >/dev/null &&
	# Resumed just before the question, as after a restart.
	seq=$(hb-reply -j show telegram:31 | jq -s ".[0].seq") &&
	echo $((seq - 1)) >state.auto &&
	{ OFFICE_HOURS=0-0 setsid sh "$TEST_DIRECTORY/../scripts/auto-reply.sh" away state.auto & } &&
	pid=$! &&
	test_when_finished "kill -- -$pid 2>/dev/null" &&
	test_wait_for hb_sent_to telegram:31 &&
	# The automatic answer leaves the question for a person.
	hb-reply inbox >inbox &&
	grep -q "^telegram:31	" inbox &&
	# A reaction is no question: no answer.
	jq -nc "{update_id: 32, message_reaction: {chat: {id: 31, type: \"private\"},
	    user: {id: 31}, message_id: 1, date: $(date +%s),
	    old_reaction: [], new_reaction: [{type: \"emoji\", emoji: \"👍\"}]}}" |
	    hb-ingest >events &&
	test_grep "\"type\":\"reaction\"" events &&
	seq=$(hb-reply -j show telegram:31 | jq -s "map(select(.type == \"reaction\")) | .[0].seq") &&
	test_wait_for file_holds state.auto "$seq" &&
	kill -- -$pid && ! wait $pid &&
	hb_sent_to telegram:31 &&
	test "$(wc -l <sent_to)" = 1 &&
	jq -e ".text == \"Wir antworten ab Montag.\"" sent_to
'

test_expect_success 'mail-forward.sh hands each message to the mailer' '
	printf "#!/bin/sh\ncat >>\"%s/mailbox\"\n" "$TRASH_DIRECTORY" >sendmail &&
	chmod +x sendmail &&
	{ SENDMAIL=$TRASH_DIRECTORY/sendmail setsid sh "$TEST_DIRECTORY/../scripts/mail-forward.sh" presse@stadt.example state.mail & } &&
	pid=$! &&
	test_when_finished "kill -- -$pid 2>/dev/null" &&
	test_wait_for grep -q "Hallo?" mailbox &&
	kill -- -$pid && ! wait $pid &&
	test_grep "^To: presse@stadt.example$" mailbox &&
	test_grep "^Subject: \[hb\] telegram telegram:31$" mailbox &&
	test_grep "hb-reply send telegram:31" mailbox
'

test_done
