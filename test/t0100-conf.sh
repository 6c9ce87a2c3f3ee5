#!/bin/sh
test_description='hb.conf: errors stop the program with exit 78, -n prints the effective configuration'
. "${0%/*}/test-lib.sh"

test_expect_success 'a minimal configuration works' '
	hb-subscribe stats >out &&
	test_grep "^all	0	0	0	0	0$" out
'

test_expect_success 'a missing configuration file exits 78 and names it' '
	test_expect_code 78 hb-subscribe -f nowhere.conf stats 2>err &&
	test_grep "nowhere.conf" err
'

test_expect_success '$HB_CONF names the file, -f overrides it' '
	test_expect_code 78 env HB_CONF=$TRASH_DIRECTORY/none.conf hb-subscribe stats 2>err &&
	test_grep "none.conf" err &&
	HB_CONF=$TRASH_DIRECTORY/none.conf hb-subscribe -f "$HB_CONF" stats
'

test_expect_success 'an unknown key exits 78 with file:line' '
	hb_write_conf "colour = blue" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "hb.conf:4: unknown key .colour. in \[hb\]" err
'

test_expect_success 'an unknown section exits 78' '
	hb_write_conf "[signal]" "token_file = x" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "hb.conf:5: unknown section \[signal\]" err
'

test_expect_success 'a key of another channel is unknown' '
	hb_secret tg.token t0k3n &&
	hb_write_conf "[telegram]" "token_file = tg.token" "page_id = 42" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "unknown key .page_id. in \[telegram\]" err
'

test_expect_success 'a bad number exits 78' '
	hb_write_conf "daily_limit = many" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "hb.conf:4: .daily_limit. is invalid" err &&
	hb_write_conf "hook_timeout = 0" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "hook_timeout. is too small" err
'

test_expect_success 'bad quiet hours, timezone, language and URL exit 78' '
	for line in "quiet_hours = 21-7" "quiet_hours = 25:00-07:00" \
	    "timezone = Mars/Olympus" "language = Deutsch" "group = nosuchgroup"
	do
		hb_write_conf "$line" &&
		test_expect_code 78 hb-subscribe stats 2>err || return 1
	done &&
	hb_secret tg.token t0k3n &&
	hb_write_conf "[telegram]" "token_file = tg.token" "api = ftp://x" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "wants an http" err
'

test_expect_success 'a duplicate key exits 78' '
	hb_write_conf "daily_limit = 1" "daily_limit = 2" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "hb.conf:5: duplicate key .daily_limit." err
'

test_expect_success 'a line that is no key = value exits 78' '
	hb_write_conf "just words" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "hb.conf:4: syntax error" err
'

test_expect_success 'a missing secret file exits 78 and names it' '
	hb_write_conf "[telegram]" "token_file = $TRASH_DIRECTORY/gone.token" &&
	test_expect_code 78 hb-broadcast list 2>err &&
	test_grep "gone.token.*No such file" err &&
	test_expect_code 78 hb-reply list 2>err &&
	test_grep "gone.token.*No such file" err
'

test_expect_success 'a secret file that others can read exits 78' '
	printf "s3cret\n" >open.token &&
	chmod 644 open.token &&
	hb_write_conf "[telegram]" "token_file = open.token" &&
	test_expect_code 78 hb-broadcast list 2>err &&
	test_grep "open.token. is readable or writable by others" err &&
	! grep s3cret err
'

test_expect_success 'only the programs that send read the send tokens' '
	hb_write_conf "[telegram]" "token_file = $TRASH_DIRECTORY/gone.token" &&
	hb-subscribe stats >/dev/null &&
	hb-purge expire &&
	hb-ingest -c telegram </dev/null &&
	test_expect_code 78 hb-ingest poll -1 2>err &&
	test_grep "gone.token.*No such file" err
'

test_expect_success 'a channel without its required keys exits 78' '
	hb_write_conf "[whatsapp]" "phone_number_id = 1100" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "\[whatsapp\] needs .token_file." err
'

test_expect_success 'every program refuses a bad configuration, whatever the verb' '
	hb_write_conf "colour = blue" &&
	for verb in add remove list show stats import; do
		test_expect_code 78 hb-subscribe $verb </dev/null 2>err || return 1
	done
'

test_expect_success 'a full configuration is accepted, comments after values too' '
	hb_secret tg.token 123:abc &&
	hb_secret tg.secret hook-secret &&
	hb_secret meta.secret appsecret &&
	hb_secret meta.verify verifyme &&
	hb_secret wa.token watoken &&
	cat >"$HB_CONF" <<-EOF &&
	; the whole thing
	[hb]
	home = $HB_HOME
	timezone = Europe/Berlin     # local time
	daily_limit = 2
	quiet_hours = 21:00-07:00
	language = de

	[telegram]
	token_file = tg.token
	secret_file = tg.secret
	rate = 25

	[whatsapp]
	phone_number_id = 110022334455667
	token_file = wa.token
	app_secret_file = meta.secret
	verify_token_file = meta.verify
	template = stadt_news

	[texts.de]
	welcome = Hallo!\\nZweite Zeile, mit \\\\ darin.
	EOF
	hb-subscribe -n >effective &&
	test_grep "^timezone = Europe/Berlin$" effective &&
	test_grep "^quiet_hours = 21:00-07:00$" effective &&
	test_grep "^api = https://api.telegram.org$" effective &&
	test_grep "^template_language = de$" effective &&
	test_grep "^welcome = Hallo!\\\\nZweite Zeile, mit \\\\\\\\ darin.$" effective
'

test_expect_success '-n prints secret files by name, never their content' '
	test_grep "^token_file = tg.token$" effective &&
	! grep -e 123:abc -e hook-secret -e appsecret -e verifyme -e watoken effective
'

test_expect_success 'what -n prints reads back as the same configuration' '
	hb-subscribe -f effective -n >again &&
	test_cmp effective again
'

test_expect_success 'an unknown text name is an error' '
	hb_write_conf "[texts.de]" "greeting = Hallo" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "unknown text .greeting." err
'

test_expect_success 'a text that is not UTF-8 (a Latin-1 file) exits 78' '
	hb_write_conf "[texts.de]" "$(printf "welcome = Gr\374\337 Gott")" &&
	test_expect_code 78 hb-subscribe stats 2>err &&
	test_grep "hb.conf:5: text .welcome. is not valid UTF-8" err
'

test_done
