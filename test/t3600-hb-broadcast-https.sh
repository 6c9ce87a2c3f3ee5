#!/bin/sh
test_description='hb-broadcast over HTTPS: HTTP/2 multiplexed, the certificate verified (ca_file)'
. "$(dirname "$0")/test-lib.sh"

NGINX=$(command -v nginx || echo /usr/sbin/nginx)
ECHO_MODULE=/usr/lib/nginx/modules/ngx_http_echo_module.so
TLS_ROOT=$TRASH_DIRECTORY/nginx

tls_answers () {
	curl -s -o /dev/null --cacert cert.pem "https://127.0.0.1:$TLS_PORT/ready" ||
	    ! kill -0 "$TLS_PID" 2>/dev/null
}

# start_tls: nginx with HTTP/2 over TLS on a free loopback port, answering
# every send as Telegram does (the echo module), and logging each
# request's protocol and connection.
start_tls () {
	mkdir -p "$TLS_ROOT/logs" &&
	for try in 1 2 3 4 5; do
		TLS_PORT=$((20000 + ($$ * 11 + try * 137) % 40000))
		cat >"$TLS_ROOT/nginx.conf" <<-EOF
		load_module $ECHO_MODULE;
		worker_processes 1;
		pid $TLS_ROOT/nginx.pid;
		error_log $TLS_ROOT/logs/error.log;
		events { worker_connections 256; }
		http {
			log_format sends "\$server_protocol \$connection";
			client_body_temp_path $TLS_ROOT;
			server {
				listen 127.0.0.1:$TLS_PORT ssl http2;
				ssl_certificate $TRASH_DIRECTORY/cert.pem;
				ssl_certificate_key $TRASH_DIRECTORY/key.pem;
				access_log $TLS_ROOT/logs/sends.log sends;
				# The readiness probe's request is not one
				# of hb's: nginx logs a request after it has
				# answered, which would race the truncation.
				location = /ready {
					access_log off;
					return 204;
				}
				location / {
					default_type application/json;
					# Read the body, as an API does: a
					# server that answers first resets
					# the stream.
					echo_read_request_body;
					echo '{"ok":true,"result":{"message_id":1,"chat":{"id":1}}}';
				}
			}
		}
		EOF
		"$NGINX" -p "$TLS_ROOT" -c "$TLS_ROOT/nginx.conf" -g "daemon off;" 2>>"$TLS_ROOT/start.log" &
		TLS_PID=$!
		if test_wait_for tls_answers 2>/dev/null && kill -0 "$TLS_PID" 2>/dev/null; then
			: >"$TLS_ROOT/logs/sends.log"
			return 0
		fi
		kill "$TLS_PID" 2>/dev/null
		wait "$TLS_PID" 2>/dev/null
	done
	cat "$TLS_ROOT/start.log" >&2
	return 1
}

stop_tls () {
	if [ -n "${TLS_PID:-}" ]; then
		kill "$TLS_PID" 2>/dev/null
		wait "$TLS_PID" 2>/dev/null
		TLS_PID=
	fi
}
test_atexit stop_tls

# tls_conf [lines for [hb]]: Telegram at the server, no rate.
tls_conf () {
	hb_secret tg.token 123:abc &&
	hb_write_conf "daily_limit = 0" "$@" "[telegram]" \
	    "api = https://127.0.0.1:$TLS_PORT" \
	    "token_file = $TRASH_DIRECTORY/tg.token" "rate = 0"
}

test_expect_success 'set up: a certificate of our own, nginx, 200 subscribers' '
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	    -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 \
	    -keyout key.pem -out cert.pem 2>/dev/null &&
	start_tls &&
	seq 1000 1199 | sed "s/^/telegram:/" >ids &&
	tls_conf &&
	hb-subscribe add <ids &&
	echo "Heute: Stadtfest." >news
'

# (A store of five for the refusals: each is a TLS handshake, which
# under valgrind takes its time.)
test_expect_success 'a certificate hb does not trust: nothing is sent, it says why (75)' '
	hb-subscribe -d few add telegram:1 telegram:2 telegram:3 telegram:4 telegram:5 &&
	test_expect_code 75 hb-broadcast -d few send news >id 2>err &&
	test_grep -i "certificate" err &&
	test_must_be_empty "$TLS_ROOT/logs/sends.log" &&
	test_json ".deferred == 5 and .sent == 0" hb-broadcast -d few -j status "$(cat id)"
'

test_expect_success 'with ca_file: sent over HTTP/2, many requests a connection' '
	tls_conf "ca_file = $TRASH_DIRECTORY/cert.pem" &&
	hb-broadcast send news >id &&
	test_json ".sent == 200" hb-broadcast -j status "$(cat id)" &&
	test "$(wc -l <"$TLS_ROOT/logs/sends.log")" = 200 &&
	test_must_fail grep -v "^HTTP/2.0 " "$TLS_ROOT/logs/sends.log" &&
	cut -d " " -f 2 "$TLS_ROOT/logs/sends.log" | sort -u >connections &&
	test "$(wc -l <connections)" -le 2
'

test_done
