#!/bin/sh
test_description='hb-subscribe import: what list -j printed, and CSV'
. "${0%/*}/test-lib.sh"

test_expect_success 'set up a store to move from' '
	hb-subscribe -d old add telegram:1001 telegram:1002 whatsapp:4917011111111 &&
	hb-subscribe -d old remove telegram:1002 &&
	hb-subscribe -d old -j list >export.json
'

test_expect_success 'import takes what list -j printed' '
	hb-subscribe import export.json &&
	hb-subscribe -j list >imported.json &&
	jq -c "del(.source)" export.json >a &&
	jq -c "del(.source)" imported.json >b &&
	test_cmp a b
'

test_expect_success 'imported records say where they came from' '
	jq -se "all(.source == \"import\")" imported.json
'

test_expect_success 'import from stdin' '
	echo "{\"id\":\"messenger:77\",\"name\":\"Max\"}" | hb-subscribe import &&
	hb-subscribe list -c messenger >out &&
	test_grep "^messenger:77	messenger	active	.*	-	Max$" out
'

test_expect_success 'an existing subscriber is left as it is' '
	echo "{\"id\":\"telegram:1001\",\"state\":\"stopped\"}" >again.json &&
	hb-subscribe -v import again.json 2>err &&
	test_grep "telegram:1001: already present, left as it is" err &&
	test_grep "imported 0, 1 already present" err &&
	hb-subscribe list -s active | cut -f1 >active &&
	test_grep -x telegram:1001 active
'

test_expect_success 'CSV without a header: id,state,name,since,last_inbound' '
	cat >plain.csv <<-\EOF &&
	telegram:2001,active,Erika Mustermann,2025-01-02T03:04:05Z,2025-06-01T12:00:00+02:00
	telegram:2002,stopped,,,
	EOF
	hb-subscribe import plain.csv &&
	hb-subscribe -j list -c telegram >out &&
	jq -se ".[] | select(.id == \"telegram:2001\") |
	    .name == \"Erika Mustermann\" and .since == \"2025-01-02T03:04:05Z\" and
	    .last_inbound == \"2025-06-01T10:00:00Z\" and .state == \"active\"" out &&
	jq -se ".[] | select(.id == \"telegram:2002\") | .state == \"stopped\"" out
'

test_expect_success 'CSV with a header, quoted fields with commas, quotes and line breaks' '
	cat >header.csv <<-\EOF &&
	id,name,phone,state
	whatsapp:4917022222222,"Mustermann, Erika ""Eri""",4917022222222,active
	instagram:3003,"Zwei
	Zeilen",,
	EOF
	hb-subscribe import header.csv &&
	hb-subscribe show whatsapp:4917022222222 >out &&
	jq -e ".subscriber.name == \"Mustermann, Erika \\\"Eri\\\"\" and
	    .subscriber.phone == \"4917022222222\"" out &&
	hb-subscribe list -c instagram >out &&
	test_grep "^instagram:3003	instagram	active	.*	Zwei\\\\nZeilen$" out
'

test_expect_success 'a bad record anywhere: every one named, exit 65, nothing imported' '
	cat >bad.json <<-\EOF &&
	{"id":"telegram:3001"}
	{"id":"telegram:3002","state":"sleeping"}
	{"id":"nonsense"}
	not json
	{"id":"telegram:3003","since":"yesterday"}
	{"id":"telegram:3004","channel":"whatsapp"}
	{"id":"telegram:3005","id":"telegram:3006"}
	EOF
	test_expect_code 65 hb-subscribe import bad.json 2>err &&
	test_grep "bad.json:2: .telegram:3002.: bad state" err &&
	test_grep "bad.json:3: .nonsense.: not of the form" err &&
	test_grep "bad.json:4: " err &&
	test_grep "bad.json:5: .telegram:3003.: \"since\" is not an RFC 3339 time" err &&
	test_grep "bad.json:6: .telegram:3004.: \"channel\" does not match" err &&
	test_grep "bad.json:7: duplicate object key" err &&
	test_grep "6 bad records, nothing imported" err &&
	hb-subscribe list | cut -f1 >ids &&
	test_must_fail grep telegram:300 ids
'

test_expect_success 'a bad CSV row is named by its row' '
	printf "telegram:4001,active\ntelegram:4002,active,a,b,c,too many\n" >bad.csv &&
	test_expect_code 65 hb-subscribe import bad.csv 2>err &&
	test_grep "bad.csv:2: more fields than columns" err &&
	printf "telegram:4003,\"unterminated\n" >bad2.csv &&
	test_expect_code 65 hb-subscribe import bad2.csv 2>err &&
	test_grep "bad2.csv:1: " err &&
	hb-subscribe list | cut -f1 >ids &&
	test_must_fail grep telegram:400 ids
'

test_expect_success 'CSV that cannot be kept intact is refused, as JSON Lines is' '
	printf "id,nmae\ntelegram:4101,Anna\n" >misspelt.csv &&
	test_expect_code 65 hb-subscribe import misspelt.csv 2>err &&
	test_grep "misspelt.csv:1: unknown column .nmae." err &&
	printf "telegram:4102,active,M\374ller\n" >latin1.csv &&
	test_expect_code 65 hb-subscribe import latin1.csv 2>err &&
	test_grep "latin1.csv:1: \"name\" is not valid UTF-8" err &&
	printf "telegram:4103,active,Nu\000ll\n" >nul.csv &&
	test_expect_code 65 hb-subscribe import nul.csv 2>err &&
	test_grep "nul.csv:1: \"name\" holds a NUL byte" err &&
	{ printf "telegram:4104,active," && head -c 1025 /dev/zero | tr "\\0" a; } >long.csv &&
	test_expect_code 65 hb-subscribe import long.csv 2>err &&
	test_grep "\"name\" is longer than 1024 bytes" err &&
	printf "{\"id\":\"telegram:4105\",\"name\":\"%s\"}\n" "$(head -c 1025 /dev/zero | tr "\\0" a)" >long.jsonl &&
	test_expect_code 65 hb-subscribe import long.jsonl 2>err &&
	test_grep "\"name\" is longer than 1024 bytes" err &&
	hb-subscribe list | cut -f1 >ids &&
	test_must_fail grep telegram:410 ids
'

test_expect_success 'a byte-order mark before CSV is no data' '
	printf "\357\273\277id,name\ntelegram:4106,Bom\n" >bom.csv &&
	hb-subscribe import bom.csv &&
	test_json ".subscriber.name == \"Bom\"" hb-subscribe show telegram:4106
'

test_expect_success 'a missing input file exits 66' '
	test_expect_code 66 hb-subscribe import nowhere.csv 2>err &&
	test_grep "nowhere.csv" err
'

test_expect_success 'the store verifies clean' '
	test_store_verify
'

test_done
