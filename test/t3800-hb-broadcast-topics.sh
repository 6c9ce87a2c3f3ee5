#!/bin/sh
test_description='topics: Start Baustellen, Stopp Baustellen, Themen, send -t'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# people last: on each channel, 491700000000 chose baustellen,
# 491700000001 kultur, 491700000002 both, 491700000003 none; all wrote
# last at time last (inside every window).
people () {
	for ch in telegram whatsapp messenger instagram; do
		printf '{"id":"%s:491700000000","state":"active","last_inbound":"%s","topics":["baustellen"]}\n' "$ch" "$1"
		printf '{"id":"%s:491700000001","state":"active","last_inbound":"%s","topics":["kultur"]}\n' "$ch" "$1"
		printf '{"id":"%s:491700000002","state":"active","last_inbound":"%s","topics":["kultur","baustellen"]}\n' "$ch" "$1"
		printf '{"id":"%s:491700000003","state":"active","last_inbound":"%s"}\n' "$ch" "$1"
	done
}

# tg id text n: a Telegram message from id, update n.
tg () {
	hb_tg_update "$1" "$2" "$3" | hb-ingest >/dev/null
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" &&
	printf "\n[topics]\nbaustellen = Baustellen, Verkehr, Straßensperrungen\nkultur = Veranstaltungen, Kultur\n" >>"$HB_CONF" &&
	recent=$(date -u -d "@$(($(date +%s) - 600))" +%Y-%m-%dT%H:%M:%SZ) &&
	people "$recent" >people.jsonl &&
	hb-subscribe import people.jsonl &&
	echo "Die Hauptstraße ist ab Montag gesperrt." >news
'

test_expect_success 'a topic send reaches who chose it and who chose none, on every platform' '
	hb-broadcast send -t baustellen news >id &&
	hb_copies >copies &&
	for ch in telegram whatsapp messenger instagram; do
		printf "%s:491700000000\t1\n%s:491700000002\t1\n%s:491700000003\t1\n" $ch $ch $ch
	done | sort >expect &&
	test_cmp expect copies &&
	hb-broadcast status "$(cat id)" >status &&
	test_grep "^telegram	3	3	0	0	0	0	0$" status &&
	hb-broadcast -j list | jq -s -e "map(select(.n == $(cat id)))[0].topics == [\"baustellen\"]" &&
	hb-broadcast -n send -t kultur news >plan &&
	test_grep "^whatsapp	3	3	" plan
'

test_expect_success 'a send without -t and an emergency reach everyone' '
	: >"$SIM_LOG" &&
	echo "Samstag: Stadtfest." >fest &&
	hb-broadcast send fest >/dev/null &&
	test "$(hb_copies | wc -l)" = 16 &&
	test_expect_code 64 hb-broadcast send -e -r Sturm -t kultur news 2>err &&
	test_grep "an emergency goes to everyone" err &&
	test_expect_code 65 hb-broadcast send -t sport news 2>err &&
	test_grep "no topic .sport." err
'

test_expect_success 'Start with a topic subscribes with it; its other words and a deep link too' '
	tg 5001 "Start Baustellen" 1 &&
	test_json ".subscriber.state == \"active\" and .subscriber.topics == [\"baustellen\"]" \
	    hb-subscribe show telegram:5001 &&
	tg 5001 "/start kultur" 2 &&
	tg 5002 "start verkehr!" 3 &&
	test_json ".subscriber.topics == [\"baustellen\", \"kultur\"]" hb-subscribe show telegram:5001 &&
	test_json ".subscriber.topics == [\"baustellen\"]" hb-subscribe show telegram:5002 &&
	hb-subscribe show telegram:5001 | jq -r ".outbox[].text" >said &&
	test_grep "^Willkommen" said &&
	test_grep "Sie erhalten Nachrichten zum Thema: Baustellen$" said &&
	test_grep "Sie erhalten Nachrichten zum Thema: Veranstaltungen$" said
'

test_expect_success 'Stopp with a topic leaves that one; plain Stopp leaves all' '
	tg 5001 "Stopp Baustellen" 4 &&
	test_json ".subscriber.state == \"active\" and .subscriber.topics == [\"kultur\"]" \
	    hb-subscribe show telegram:5001 &&
	tg 5001 "Stopp Kultur" 5 &&
	test_json ".subscriber.state == \"active\" and (.subscriber.topics | length) == 0" \
	    hb-subscribe show telegram:5001 &&
	tg 5003 Start 6 &&
	tg 5003 "Stopp Verkehr" 7 &&
	test_json ".subscriber.topics == [\"kultur\"]" hb-subscribe show telegram:5003 &&
	tg 5002 Stopp 8 &&
	test_json ".subscriber.state == \"stopped\"" hb-subscribe show telegram:5002 &&
	tg 5002 Start 9 &&
	test_json ".subscriber.state == \"active\" and (.subscriber.topics | length) == 0" \
	    hb-subscribe show telegram:5002
'

test_expect_success 'Themen lists the topics, theirs marked; keywords stay whole messages' '
	tg 5003 Themen 10 &&
	hb-subscribe show telegram:5003 | jq -r ".outbox[] | select(.kind == \"topics\") | .text" >said &&
	test_grep "^- Baustellen$" said &&
	test_grep "^✓ Veranstaltungen$" said &&
	tg 5003 "Stopp Baustellen bitte" 11 &&
	test_json ".subscriber.topics == [\"kultur\"] and .subscriber.unanswered != null" \
	    hb-subscribe show telegram:5003 &&
	tg 5003 "Start Sport" 12 &&
	test_json ".messages[-1].keyword == null" hb-subscribe show telegram:5003
'

test_expect_success 'Neu brings the recent announcements that reach them, newest first' '
	hb_tg_update 491700000001 Neu 20 | hb-ingest >/dev/null &&
	hb-subscribe show telegram:491700000001 | jq -r ".outbox[] | select(.kind == \"news\") | .text" >said &&
	test_grep "^Unsere Nachrichten der letzten Tage" said &&
	test_grep ": Samstag: Stadtfest.$" said &&
	test_must_fail test_grep "Hauptstraße" said &&
	hb_tg_update 491700000000 Neu 21 | hb-ingest >/dev/null &&
	hb-subscribe show telegram:491700000000 | jq -r ".outbox[] | select(.kind == \"news\") | .text" >said &&
	grep -n "Stadtfest\|Hauptstraße" said | cut -d: -f1 | tr "\n" " " >order &&
	test "$(cat order)" = "3 5 " &&
	hb-broadcast run &&
	hb_texts telegram:491700000000 | tail -n 1 | test_grep "Hauptstraße" &&
	hb_sim_conf "daily_limit = 0" "catch_up = 0" &&
	printf "\n[topics]\nbaustellen = Baustellen\nkultur = Kultur\n" >>"$HB_CONF" &&
	hb_tg_update 491700000003 "/news" 22 | hb-ingest >/dev/null &&
	hb-subscribe show telegram:491700000003 | jq -r ".outbox[] | select(.kind == \"news\") | .text" >said &&
	test_grep "keine Nachrichten" said
'

test_expect_success 'list -t, list -j, stats and import know topics' '
	hb-subscribe list -t baustellen -c whatsapp | cut -f1 >got &&
	printf "whatsapp:491700000000\nwhatsapp:491700000002\nwhatsapp:491700000003\n" >expect &&
	test_cmp expect got &&
	hb-subscribe -j list -c whatsapp | jq -s -e "map(.topics) == [[\"baustellen\"], [\"kultur\"], [\"kultur\", \"baustellen\"], []]" &&
	hb-subscribe stats >stats &&
	test_grep "^baustellen	8$" stats &&
	test_grep "^kultur	9$" stats &&
	test_grep "^(none: everything)	6$" stats &&
	test_expect_code 64 hb-subscribe list -t sport 2>err &&
	echo "{\"id\": \"telegram:6001\", \"topics\": [\"kultur\", 7]}" >bad.jsonl &&
	test_expect_code 65 hb-subscribe import bad.jsonl 2>err &&
	test_grep "topics" err &&
	hb-subscribe -j list -c whatsapp >export.jsonl &&
	hb-subscribe -d copy import export.jsonl &&
	hb-subscribe -d copy -j list -c whatsapp >again.jsonl &&
	test_cmp export.jsonl again.jsonl
'

test_done
