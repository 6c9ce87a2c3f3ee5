#!/bin/sh
test_description='hb-broadcast check: each platform says whether the set-up works'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

test_expect_success 'setup' '
	hb_start_sim &&
	HB_SIM_WHATSAPP="waba_id = 9900" hb_sim_conf &&
	hb_sim /sim/webhook "{\"url\": \"https://stadt.example/hb/telegram\"}"
'

test_expect_success 'a good set-up is ok on every channel' '
	hb-broadcast check >out &&
	test "$(grep -c "	ok	" out)" = 4 &&
	test_grep "^telegram	ok	bot @StadtNewsBot; webhook https://stadt.example/hb/telegram, 0 pending$" out &&
	test_grep "^whatsapp	ok	number +49 7131 560, quality GREEN, throughput STANDARD; template stadt_news approved$" out &&
	test_grep "^messenger	ok	Stadt$" out &&
	hb-broadcast check -c instagram >out &&
	test "$(wc -l <out)" = 1 &&
	jq -s -e "map(select(.method == \"GET\" and (.path | test(\"/graph/\")))) | all(.[]; .auth == \"Bearer token-0123\")" "$SIM_LOG"
'

test_expect_success 'a refused token, an unknown number, a template not approved, no webhook' '
	hb_sim /sim/fault "{\"path\": \"getMe\", \"status\": 401, \"body\": {\"ok\": false, \"error_code\": 401, \"description\": \"Unauthorized\"}}" &&
	hb_sim /sim/fault "{\"path\": \"/graph/v21.0/1100$\", \"status\": 400, \"body\": {\"error\": {\"code\": 100, \"message\": \"Object with ID 1100 does not exist\"}}}" &&
	test_expect_code 69 hb-broadcast check >out &&
	test_grep "^telegram	problem	getMe: the token is refused (token_file): Unauthorized$" out &&
	test_grep "^whatsapp	problem	phone_number_id: HTTP 400: Object with ID 1100 does not exist (phone_number_id)$" out &&
	test_grep "^messenger	ok	" out &&
	hb_sim /sim/template "{\"name\": \"stadt_news\", \"status\": \"REJECTED\"}" &&
	hb_sim /sim/webhook "{\"url\": \"\"}" &&
	test_expect_code 69 hb-broadcast check >out &&
	test_grep "^whatsapp	problem	.*template stadt_news is REJECTED$" out &&
	test_grep "^telegram	problem	bot @StadtNewsBot; no webhook is set" out &&
	hb_sim /sim/webhook "{\"url\": \"https://stadt.example/hb/telegram\", \"last_error\": \"Connection timed out\"}" &&
	test_expect_code 69 hb-broadcast check -c telegram >out &&
	test_grep "its last error: Connection timed out$" out
'

test_done
