#!/bin/sh
test_description='hb-purge backup, restore and ledger: a restored backup forgets whoever was erased after it'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

NOW=$(date +%s)

test_expect_success 'setup: four people, one of them erased before the backup' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" &&
	echo "Heute: Stadtfest." >news &&
	hb_tg_update 601 Start 1 | hb-ingest >/dev/null &&
	hb_tg_update 602 Start 2 | hb-ingest >/dev/null &&
	hb_tg_update 603 Start 3 | hb-ingest >/dev/null &&
	hb_wa_msg W1 Start $((NOW - 60)) 4917050005001 | hb-ingest >/dev/null &&
	hb_tg_update 603 "Alle Daten löschen" 4 | hb-ingest >/dev/null &&
	hb-subscribe list -s active | cut -f1 | sort >before &&
	printf "%s\n" telegram:601 telegram:602 whatsapp:4917050005001 >expect &&
	test_cmp expect before
'

test_expect_success 'backup: the store'"'"'s files with the ledger key, no lock, no regions' '
	hb-purge backup backup1 &&
	test -s backup1/ledger.key &&
	test -s backup1/subscribers.db &&
	jq -e ".taken >= $NOW" backup1/backup.info &&
	ls backup1 >names &&
	test_must_fail grep -E "^(lock|send.lock|__db|spool)" names &&
	find backup1 -type f ! -perm 600 >loose &&
	test_must_be_empty loose &&
	test_expect_code 73 hb-purge backup backup1 2>err &&
	test_grep "not empty" err
'

test_expect_success 'a backup of a store where nobody was erased yet carries a key all the same' '
	hb-subscribe -d other add telegram:700 &&
	hb-purge -d other backup backup-other &&
	test -s backup-other/ledger.key &&
	test_cmp other/ledger.key backup-other/ledger.key
'

test_expect_success 'after the backup: erased by keyword, by hb-purge, by a BSUID alone; one comes back' '
	hb_tg_update 601 "Alle Daten löschen" 5 | hb-ingest >/dev/null &&
	hb-purge erase telegram:602 >/dev/null &&
	hb_wa_msg W2 "Alle Daten löschen" $((NOW - 30)) | hb-ingest >/dev/null &&
	hb_tg_update 603 Start 6 | jq -c ".message.date += 5" | hb-ingest >/dev/null &&
	hb-subscribe list -s active | cut -f1 >now &&
	echo telegram:603 >expect &&
	test_cmp expect now
'

test_expect_success 'ledger: keyed hashes and times only' '
	hb-purge ledger >ledger.tsv &&
	test "$(wc -l <ledger.tsv)" = 5 &&
	test "$(grep -c -E "^[0-9a-f]{64}	[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$" ledger.tsv)" = 5 &&
	test_must_fail grep -E "telegram|whatsapp|4917050005001|DE\.5001" ledger.tsv &&
	hb-purge -j ledger | jq -s -e "length == 5 and all(.hash | test(\"^[0-9a-f]{64}$\"))"
'

test_expect_success 'restore without the newer ledger brings back who was erased since' '
	hb-purge -d plain restore backup1 2>err &&
	test_grep "without a newer ledger" err &&
	hb-subscribe -d plain list -s active | cut -f1 | sort >back &&
	test_cmp before back
'

test_expect_success 'restore -l: the erased are gone again before any program gets the store' '
	: >"$SIM_LOG" &&
	hb-purge -d restored restore -l ledger.tsv backup1 &&
	hb-subscribe -d restored list >all &&
	test_must_be_empty all &&
	hb-broadcast -d restored send news >/dev/null &&
	hb-broadcast -d restored run &&
	! hb_sent_to telegram:601 &&
	! hb_sent_to telegram:602 &&
	! hb_sent_to whatsapp:4917050005001 &&
	! hb_sent_to whatsapp:DE.5001 &&
	test_must_fail grep -a -l -E "4917050005001|DE\.5001|telegram:60[12]" \
	    restored/*.db restored/log.* &&
	test_grep "restored by $(id -un): 4 newer ledger entries, 3 people erased again" \
	    "$HB_TEST_SYSLOG"
'

test_expect_success 'the restored store knows the newer ledger: filter, import, add' '
	hb-purge -d restored ledger | sort >got &&
	sort ledger.tsv >want &&
	test_cmp want got &&
	printf "telegram:601\tactive\nwhatsapp:DE.5001\tactive\ntelegram:604\tactive\n" >old.tsv &&
	hb-purge -d restored filter <old.tsv >kept 2>/dev/null &&
	printf "telegram:604\tactive\n" >expect &&
	test_cmp expect kept &&
	echo "{\"id\":\"telegram:602\",\"state\":\"active\",\"since\":\"2026-01-01T00:00:00Z\"}" >old.jsonl &&
	{ hb-subscribe -d restored import old.jsonl 2>/dev/null || :; } &&
	test_expect_code 65 hb-subscribe -d restored show telegram:602 &&
	test_expect_code 65 hb-subscribe -d restored add whatsapp:4917050005001 2>err &&
	test_grep "erased on request" err
'

test_expect_success 'restore refuses a store directory in use (73) and a partial backup (66)' '
	test_expect_code 73 hb-purge -d restored restore backup1 2>err &&
	test_grep "not empty" err &&
	mkdir partial &&
	cp backup1/*.db partial &&
	test_expect_code 66 hb-purge -d fresh restore partial 2>err &&
	test_grep "not a whole backup" err &&
	printf "not a ledger\n" >bad.tsv &&
	test_expect_code 65 hb-purge -d fresh restore -l bad.tsv backup1 2>err &&
	test_grep "bad.tsv:1:" err &&
	test_expect_code 64 hb-purge -l ledger.tsv ledger 2>/dev/null
'

test_expect_success 'a backup whose ledger has entries but no key: restore exits 78' '
	cp -r backup1 nokey &&
	rm nokey/ledger.key &&
	test_expect_code 78 hb-purge -d nokey-store restore -l ledger.tsv nokey 2>err &&
	test_grep "ledger.key" err
'

test_done
