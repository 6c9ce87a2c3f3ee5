#!/bin/sh
test_description='hb-subscribe add, remove, list, show, stats'
. "${0%/*}/test-lib.sh"

test_expect_success 'an empty store lists nothing' '
	hb-subscribe list >out &&
	test_must_fail test -s out
'

test_expect_success 'add takes IDs from the arguments, silently' '
	hb-subscribe add telegram:5123456789 whatsapp:4917012345678 >out 2>err &&
	test_must_fail test -s out &&
	test_must_fail test -s err
'

test_expect_success 'add takes IDs from stdin: plain, TSV and JSON Lines' '
	printf "%s\n" "messenger:6543210987654321" "" \
	    "instagram:1234567890123456	Erika	whatever" \
	    "{\"id\":\"whatsapp:DE.4711081547110815\",\"state\":\"active\"}" |
	hb-subscribe add &&
	hb-subscribe list | cut -f1 >ids &&
	cat >expect <<-\EOF &&
	instagram:1234567890123456
	messenger:6543210987654321
	telegram:5123456789
	whatsapp:4917012345678
	whatsapp:DE.4711081547110815
	EOF
	test_cmp expect ids
'

test_expect_success 'list prints TSV: id, channel, state, since, last message, name' '
	hb-subscribe list >out &&
	test_grep "^telegram:5123456789	telegram	active	20[0-9-]*T[0-9:]*Z	-	-$" out
'

test_expect_success 'list -j prints the contract fields of DESIGN 4a' '
	hb-subscribe -j list >out.json &&
	test $(wc -l <out.json) -eq 5 &&
	jq -se ".[] | select(.id == \"telegram:5123456789\") |
	    .channel == \"telegram\" and .state == \"active\" and
	    .name == null and .last_inbound == null and
	    (.since | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9:]{8}Z$\"))" out.json
'

test_expect_success 'add -v says what it did' '
	hb-subscribe -v add telegram:5123456789 telegram:42 2>err &&
	test_grep "telegram:5123456789: already active" err &&
	test_grep "telegram:42: added" err
'

test_expect_success 'a bad ID is refused with exit 65 and nothing is written' '
	test_expect_code 65 hb-subscribe add telegram:7 signal:1 whatsapp:+4917 2>err &&
	test_grep "bad ID .signal:1.: unknown channel" err &&
	test_grep "bad ID .whatsapp:+4917.: a WhatsApp phone number is digits without" err &&
	hb-subscribe list | cut -f1 >ids &&
	test_must_fail grep -x telegram:7 ids
'

test_expect_success 'a bad ID on stdin names its line' '
	printf "telegram:8\nnonsense\n" >in &&
	test_expect_code 65 hb-subscribe add <in 2>err &&
	test_grep "stdin:2: bad ID .nonsense.: not of the form channel:address" err &&
	hb-subscribe list | cut -f1 >ids &&
	test_must_fail grep -x telegram:8 ids
'

test_expect_success 'IDs are checked per channel' '
	for id in telegram:abc telegram: whatsapp:123 whatsapp:1234567890123456 \
	    whatsapp:de.123 messenger:12a instagram:-1 telegram:1x ":" ""
	do
		test_expect_code 65 hb-subscribe add "$id" 2>err || return 1
	done
'

test_expect_success 'remove stops a subscription, keeping the record' '
	hb-subscribe remove telegram:42 &&
	hb-subscribe list -s stopped >out &&
	test_grep "^telegram:42	telegram	stopped	" out &&
	hb-subscribe list -s active | cut -f1 >active &&
	test_must_fail grep -x telegram:42 active
'

test_expect_success 'remove of an unknown ID warns and exits 65, the rest is done' '
	hb-subscribe add telegram:43 &&
	test_expect_code 65 hb-subscribe remove telegram:999 telegram:43 2>err &&
	test_grep "no subscriber .telegram:999." err &&
	hb-subscribe list -s stopped | cut -f1 >stopped &&
	test_grep -x telegram:43 stopped
'

test_expect_success 'add brings a stopped subscriber back' '
	hb-subscribe -v add telegram:42 2>err &&
	test_grep "telegram:42: active again (was stopped)" err
'

test_expect_success 'list -c and -s filter by channel and state' '
	hb-subscribe list -c whatsapp | cut -f1 >out &&
	printf "%s\n" whatsapp:4917012345678 whatsapp:DE.4711081547110815 >expect &&
	test_cmp expect out &&
	hb-subscribe list -c telegram -s stopped | cut -f1 >out &&
	echo telegram:43 >expect &&
	test_cmp expect out
'

test_expect_success 'options may stand before or after the verb' '
	hb-subscribe -j list -c messenger >a &&
	hb-subscribe list -j -c messenger >b &&
	hb-subscribe list -c messenger -j >c &&
	test_cmp a b &&
	test_cmp a c &&
	test_grep "\"id\":\"messenger:6543210987654321\"" a
'

test_expect_success 'a bad filter or verb is a usage error (64)' '
	test_expect_code 64 hb-subscribe list -s sleeping 2>err &&
	test_grep "unknown state .sleeping." err &&
	test_expect_code 64 hb-subscribe list -c signal &&
	test_expect_code 64 hb-subscribe frobnicate 2>err &&
	test_grep "unknown verb .frobnicate." err &&
	test_expect_code 64 hb-subscribe &&
	test_expect_code 64 hb-subscribe add -s active telegram:1 &&
	test_expect_code 64 hb-subscribe -Z list
'

test_expect_success '-h prints the usage on stdout and exits 0, -V the version' '
	hb-subscribe -h >out &&
	test_grep "^usage: hb-subscribe" out &&
	hb-subscribe -V >out &&
	test_grep "^hb-subscribe [0-9]" out
'

test_expect_success 'show prints everything stored about a person as JSON' '
	hb-subscribe show telegram:5123456789 >out &&
	jq -e ".subscriber.id == \"telegram:5123456789\" and
	    .subscriber.state == \"active\" and .messages == [] and
	    .deliveries == [] and .outbox == []" out &&
	hb-subscribe -j show telegram:5123456789 >out &&
	test $(wc -l <out) -eq 1
'

test_expect_success 'show of an unknown ID exits 65' '
	test_expect_code 65 hb-subscribe show telegram:31337 2>err &&
	test_grep "no subscriber .telegram:31337." err
'

test_expect_success 'stats counts subscribers per channel and state' '
	hb-subscribe stats >out &&
	cat >expect <<-\EOF &&
	channel	active	stopped	unreachable	pending	total
	telegram	2	1	0	0	3
	whatsapp	2	0	0	0	2
	messenger	1	0	0	0	1
	instagram	1	0	0	0	1
	all	6	1	0	0	7
	EOF
	test_cmp expect out &&
	hb-subscribe -j stats >out &&
	jq -se ".[] | select(.channel == \"all\") | .active == 6 and .total == 7" out
'

test_expect_success 'the store is readable by its owner only' '
	test "$(stat -c %a "$HB_HOME")" = 700 &&
	find "$HB_HOME" -type f ! -perm 600 >loose &&
	test_must_fail test -s loose
'

test_expect_success 'the store verifies clean' '
	test_store_verify
'

test_expect_success '-d overrides $HB_HOME and the configuration' '
	hb-subscribe -d other add telegram:1 &&
	hb-subscribe -d other list | cut -f1 >out &&
	echo telegram:1 >expect &&
	test_cmp expect out &&
	HB_HOME=$TRASH_DIRECTORY/other hb-subscribe list | cut -f1 >out &&
	test_cmp expect out
'

test_expect_success 'output to a reader that goes away ends quietly' '
	# More than a pipe holds, so that the writer meets EPIPE.
	seq 1 3000 | sed "s/^/telegram:/" | hb-subscribe -d many add &&
	{ hb-subscribe -d many list 2>err; echo $? >status; } | head -n 1 >out &&
	test $(wc -l <out) -eq 1 &&
	test_must_fail test -s err &&
	test "$(cat status)" = 74
'

test_done
