# lib-httpd.sh: a real web server for the CGI tests, after git's
# t/lib-httpd.sh.  Source it after test-lib.sh; it starts lighttpd on a
# loopback port with hb-ingest behind it as a CGI program:
#
#   $HB_URL/telegram, $HB_URL/whatsapp, ... $HB_URL/meta
#
# and stops it when the script ends.  HTTPD_ROOT (where its files go)
# and HTTPD_EXTRA (more lines for lighttpd.conf) may be set after
# sourcing.

LIGHTTPD=$(command -v lighttpd || echo /usr/sbin/lighttpd)
HTTPD_ROOT=$TRASH_DIRECTORY/httpd

# Is the server up (or has it died trying)?
httpd_answers () {
	curl -s -o /dev/null "http://127.0.0.1:$HTTPD_PORT/" ||
	    ! kill -0 "$HTTPD_PID" 2>/dev/null
}

# hb_start_httpd: start the server; try a few ports until one is free.
hb_start_httpd () {
	mkdir -p "$HTTPD_ROOT/www" &&
	cat >"$HTTPD_ROOT/www/ingest.cgi" <<-EOF &&
	#!/bin/sh
	HB_CONF='$HB_CONF'
	ASAN_OPTIONS='$ASAN_OPTIONS'
	UBSAN_OPTIONS='$UBSAN_OPTIONS'
	LD_PRELOAD='$LD_PRELOAD'
	HB_TEST_SYSLOG='$HB_TEST_SYSLOG'
	export HB_CONF ASAN_OPTIONS UBSAN_OPTIONS LD_PRELOAD HB_TEST_SYSLOG
	exec '$(command -v hb-ingest)'
	EOF
	chmod +x "$HTTPD_ROOT/www/ingest.cgi" &&
	for try in 1 2 3 4 5; do
		HTTPD_PORT=$((20000 + ($$ * 7 + try * 131) % 40000))
		cat >"$HTTPD_ROOT/lighttpd.conf" <<-EOF
		server.document-root = "$HTTPD_ROOT/www"
		server.bind = "127.0.0.1"
		server.port = $HTTPD_PORT
		server.modules = ( "mod_cgi" )
		server.errorlog = "$HTTPD_ROOT/error.log"
		server.max-request-size = 8192
		cgi.assign = ( ".cgi" => "" )
		${HTTPD_EXTRA:-}
		EOF
		"$LIGHTTPD" -D -f "$HTTPD_ROOT/lighttpd.conf" 2>>"$HTTPD_ROOT/start.log" &
		HTTPD_PID=$!
		if test_wait_for httpd_answers 2>/dev/null &&
		    kill -0 "$HTTPD_PID" 2>/dev/null; then
			HB_URL=http://127.0.0.1:$HTTPD_PORT/ingest.cgi
			export HB_URL
			return 0
		fi
		kill "$HTTPD_PID" 2>/dev/null
		wait "$HTTPD_PID" 2>/dev/null
	done
	echo "could not start lighttpd:" >&2
	cat "$HTTPD_ROOT/start.log" >&2
	return 1
}

hb_stop_httpd () {
	if [ -n "${HTTPD_PID:-}" ]; then
		kill "$HTTPD_PID" 2>/dev/null
		wait "$HTTPD_PID" 2>/dev/null
		HTTPD_PID=
	fi
}
test_atexit hb_stop_httpd

# hb_meta_sign secret file: the X-Hub-Signature-256 value for a body.
hb_meta_sign () {
	printf 'sha256=%s' "$(openssl dgst -sha256 -hmac "$1" -r <"$2" | cut -d" " -f1)"
}

# hb_post path file [curl options]: POST a body; prints the HTTP status,
# the answer's body goes to the file "answer".
hb_post () {
	path=$1 file=$2
	shift 2
	curl -s -o answer -w '%{http_code}' -X POST \
	    -H 'Content-Type: application/json' --data-binary "@$file" \
	    "$@" "$HB_URL$path"
}

# hb_post_meta path file: POST a body signed with the app secret.
hb_post_meta () {
	hb_post "$1" "$2" -H "X-Hub-Signature-256: $(hb_meta_sign "$META_SECRET" "$2")"
}

# hb_post_telegram file: POST an update with Telegram's secret token.
hb_post_telegram () {
	hb_post /telegram "$1" -H "X-Telegram-Bot-Api-Secret-Token: $TG_SECRET"
}

# hb_full_conf [lines for [hb]]: a configuration with all four channels,
# its secret files in $HB_FILES (default: the trash directory).
META_SECRET=app-secret-0123456789
TG_SECRET=tg-secret_ABC-123
VERIFY=verify-me-42
hb_full_conf () {
	files=${HB_FILES:-$TRASH_DIRECTORY}
	hb_secret "$files/tg.token" 123:abc &&
	hb_secret "$files/tg.secret" "$TG_SECRET" &&
	hb_secret "$files/meta.secret" "$META_SECRET" &&
	hb_secret "$files/meta.verify" "$VERIFY" &&
	hb_secret "$files/meta.token" metatoken &&
	cat >"$HB_CONF" <<-EOF
	[hb]
	home = $HB_HOME
	timezone = UTC
	hooks = $files/hooks
	max_body = 65536
	$(printf "%s\n" "$@")

	[telegram]
	token_file = $files/tg.token
	secret_file = $files/tg.secret

	[whatsapp]
	phone_number_id = 110022334455667
	token_file = $files/meta.token
	app_secret_file = $files/meta.secret
	verify_token_file = $files/meta.verify

	[messenger]
	page_id = 104857600123456
	token_file = $files/meta.token
	app_secret_file = $files/meta.secret
	verify_token_file = $files/meta.verify

	[instagram]
	account_id = 17841400000000000
	token_file = $files/meta.token
	app_secret_file = $files/meta.secret
	verify_token_file = $files/meta.verify
	EOF
}
