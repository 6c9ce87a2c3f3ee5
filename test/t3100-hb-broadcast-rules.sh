#!/bin/sh
test_description='hb-broadcast: who gets what, when, and within which rules'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf &&
	echo "Heute: Stadtfest." >news
'

test_expect_success 'stopped, erased and unreachable subscribers get nothing' '
	hb-subscribe add telegram:501 telegram:502 telegram:504 &&
	hb-subscribe remove telegram:502 &&
	echo "{\"id\":\"telegram:503\",\"channel\":\"telegram\",\"state\":\"unreachable\"}" >unreachable.jsonl &&
	hb-subscribe import unreachable.jsonl &&
	hb_tg_update 504 "Alle Daten löschen" 1 | hb-ingest -c telegram >events &&
	test_grep "\"event\":\"erase\"" events &&
	hb-broadcast -c telegram send news >id &&
	grep Stadtfest "$SIM_LOG" | jq -r ".channel + \":\" + .to" >got &&
	echo telegram:501 >expect &&
	test_cmp expect got &&
	! hb_sent_to telegram:502 &&
	! hb_sent_to telegram:503
'

test_expect_success 'the erased person got only the confirmation, drained from the outbox' '
	hb_texts telegram:504 >texts &&
	test "$(wc -l <texts)" = 1 &&
	test_grep "gelöscht" texts &&
	hb-broadcast run &&
	hb_texts telegram:504 >texts &&
	test "$(wc -l <texts)" = 1
'

test_expect_success 'a second regular broadcast the same day is refused' '
	test_expect_code 69 hb-broadcast cancel "$(cat id)" 2>err &&
	test_grep "has gone out to everyone already" err &&
	test_expect_code 75 hb-broadcast -c telegram send news 2>err &&
	test_grep "telegram has had its 1 regular broadcast on" err &&
	test_grep "next free time is $(date -u -d tomorrow +%Y-%m-%d) 00:00" err &&
	test "$(hb-broadcast list | wc -l)" = 1
'

test_expect_success 'with -a it waits for the next day' '
	hb-broadcast -c telegram send -a "$(date -u +%Y-%m-%dT%H:%M)" news >id2 2>err &&
	test_grep "moved to $(date -u -d tomorrow +%Y-%m-%d) 00:00" err &&
	hb-broadcast list >list &&
	test_grep "^$(cat id2)	scheduled	$(date -u -d tomorrow +%Y-%m-%d) 00:00	regular	" list
'

test_expect_success 'an emergency goes through, with its reason and operator' '
	test_expect_code 64 hb-broadcast -c telegram send -e news &&
	echo "Unwetterwarnung" >warn &&
	hb-broadcast -c telegram send -e -r "Sturm" -u presse warn >id3 &&
	hb_texts telegram:501 >texts &&
	test_grep Unwetterwarnung texts &&
	test_json -s ".[] | select(.n == $(cat id3)) | .emergency and .reason == \"Sturm\" and .operator == \"$(id -un)\" and .operator_name == \"presse\" and .state == \"sent\"" hb-broadcast -j list
'

test_expect_success 'cancel marks a scheduled broadcast; an unknown one is an error' '
	hb-broadcast -v cancel "$(cat id2)" &&
	test_json -s ".[] | select(.n == $(cat id2)) | .state == \"cancelled\"" hb-broadcast -j list &&
	test_expect_code 65 hb-broadcast cancel 99
'

test_expect_success 'quiet hours hold regular broadcasts, not emergencies' '
	hb_sim_conf "quiet_hours = 00:00-23:59" "daily_limit = 0" &&
	test_expect_code 75 hb-broadcast -c telegram send news 2>err &&
	test_grep "quiet hours until" err &&
	hb-broadcast -c telegram send -e -r Test warn >/dev/null
'

test_expect_success 'dry run: recipients and window outcome per channel, nothing sent' '
	hb_sim_conf "daily_limit = 0" &&
	hb_subscribers 2 3 &&
	hb_subscribers 3 2 172800 &&
	cp "$SIM_LOG" log.before &&
	hb-broadcast send -n news >plan &&
	test_cmp log.before "$SIM_LOG" &&
	test_grep "^whatsapp	5	3	2	0	1	" plan &&
	test_grep "^messenger	5	3	0	2	1	" plan &&
	test_json -s ".[] | select(.channel == \"messenger\") | .why[\"outside the 24 hour window\"] == 2" hb-broadcast -j send -n news &&
	test "$(hb-broadcast list | wc -l)" = 4
'

test_expect_success 'outside the window: WhatsApp gets the template, Messenger is skipped' '
	printf "Erste Zeile.\nZweite Zeile.\n" >lines &&
	hb-broadcast -c whatsapp,messenger send lines >id4 &&
	hb_sent_to whatsapp:491703000000 &&
	jq -e ".body.type == \"template\" and .body.template.name == \"stadt_news\" and .body.template.language.code == \"de\" and .text == \"Erste Zeile. Zweite Zeile.\"" sent_to &&
	hb_sent_to whatsapp:491702000000 &&
	jq -e ".body.type == \"text\"" sent_to &&
	! hb_sent_to messenger:491703000000 &&
	hb-broadcast status "$(cat id4)" >status 2>why &&
	test_grep "^messenger	5	3	0	0	0	0	2$" status &&
	test_grep "messenger: 2: outside the 24 hour window" why
'

test_expect_success 'a blocked user is marked unreachable and not retried' '
	hb-subscribe add telegram:777 &&
	hb_sim /sim/recipient "{\"to\":\"777\",\"behaviour\":\"blocked\"}" &&
	hb-broadcast -c telegram send news >id5 &&
	test_json -s ".[] | select(.id == \"telegram:777\")" hb-subscribe -j list -c telegram -s unreachable &&
	hb-broadcast run &&
	hb_sent_to telegram:777 &&
	test "$(wc -l <sent_to)" = 1 &&
	hb-broadcast status "$(cat id5)" 2>why >status &&
	test_grep "telegram: 1: 403 Forbidden: bot was blocked by the user" why
'

test_expect_success 'a temporary failure is deferred (exit 75) and sent by run' '
	hb-subscribe add telegram:888 &&
	hb_sim /sim/recipient "{\"to\":\"888\",\"behaviour\":\"tempfail\",\"count\":1}" &&
	test_expect_code 75 hb-broadcast -c telegram send news >id6 2>err &&
	test_grep "1 deliveries deferred" err &&
	test_json ".deferred == 1 and (.why | keys | length) == 1" hb-broadcast -j status "$(cat id6)" &&
	hb-broadcast status "$(cat id6)" 2>why >status &&
	test_grep "telegram: 1: HTTP 502" why &&
	hb-broadcast run &&
	test_json ".deferred == 1" hb-broadcast -j status "$(cat id6)" &&
	hb-test-due &&
	hb-broadcast run &&
	test_json ".deferred == 0 and .sent == .recipients" hb-broadcast -j status "$(cat id6)" &&
	hb_sent_to telegram:888 &&
	test "$(wc -l <sent_to)" = 2
'

test_expect_success 'WhatsApp says the window closed: the template follows' '
	hb_sim /sim/recipient "{\"to\":\"491702000001\",\"behaviour\":\"window\"}" &&
	hb-broadcast -c whatsapp send news >id7 &&
	hb_sent_to whatsapp:491702000001 &&
	jq -s -e "map(select(.text | startswith(\"Heute\"))) | length == 2 and .[0].body.type == \"text\" and .[1].body.type == \"template\"" sent_to
'

test_expect_success 'long texts are cut at sentence borders, Instagram by bytes' '
	hb_sim_conf "daily_limit = 0" &&
	python3 -c "print(\"\\n\\n\".join([\"Absatz %d: \" % i + \"Öffnungszeiten ändern sich. \" * 20 for i in range(12)]))" >long &&
	hb_subscribers 4 1 &&
	hb-broadcast -c telegram,instagram send long >id8 &&
	hb_texts telegram:491704000000 >tg.parts &&
	hb_texts instagram:491704000000 >ig.parts &&
	test "$(wc -l <tg.parts)" = 2 &&
	jq -r . tg.parts | tr -d " \\n" >tg.joined &&
	tr -d " \\n" <long >long.joined &&
	test_cmp long.joined tg.joined &&
	jq -e "(. | utf8bytelength) <= 1000" ig.parts >/dev/null &&
	jq -r . ig.parts | head -c 1 | grep A &&
	jq -s -e "all(.[]; test(\"[.]$\"))" ig.parts
'

test_done
