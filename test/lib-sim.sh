# lib-sim.sh: the platform simulator (test/sim/hbsim.py) for a test
# script.  hb_start_sim starts it on a free loopback port and sets
# $SIM_URL; its request log is $SIM_LOG.  It stops when the script ends.

SIM_LOG=$TRASH_DIRECTORY/sim.log

hb_start_sim () {
	rm -f "$TRASH_DIRECTORY/sim.port"
	mkdir -p "$TRASH_DIRECTORY/public" &&
	python3 "$TEST_DIRECTORY/sim/hbsim.py" --port-file "$TRASH_DIRECTORY/sim.port" \
	    --log "$SIM_LOG" --static "$TRASH_DIRECTORY/public" &
	SIM_PID=$!
	test_wait_for test -s "$TRASH_DIRECTORY/sim.port" || return 1
	SIM_URL=http://127.0.0.1:$(cat "$TRASH_DIRECTORY/sim.port")
}

hb_stop_sim () {
	if [ -n "${SIM_PID:-}" ]; then
		kill "$SIM_PID" 2>/dev/null
		wait "$SIM_PID" 2>/dev/null
		SIM_PID=
	fi
}

test_atexit hb_stop_sim

# hb_sim path json: talk to the simulator's control endpoints.
hb_sim () {
	curl -sf -o /dev/null -X POST --data-binary "$2" "$SIM_URL$1"
}

# hb_sim_conf [lines for [hb]]: all four channels, sending to the
# simulator (rates off unless a test sets them with hb_sim_rate), and
# WhatsApp's template (and the lines of HB_SIM_WHATSAPP, such as
# template_media or template_price).  Instagram's media_dir is $TRASH_DIRECTORY/public,
# which the simulator serves as media_url.  Start the simulator first.
hb_sim_conf () {
	hb_secret "$TRASH_DIRECTORY/send.token" token-0123 &&
	hb_secret "$TRASH_DIRECTORY/meta.secret" meta-app-secret &&
	hb_secret "$TRASH_DIRECTORY/meta.verify" meta-verify &&
	hb_write_conf "$@" &&
	for ch in telegram whatsapp messenger instagram; do
		printf '[%s]\ntoken_file = %s\nrate = %s\n' "$ch" \
		    "$TRASH_DIRECTORY/send.token" "${HB_SIM_RATE:-0}"
		[ "$ch" = telegram ] ||
			printf 'app_secret_file = %s\nverify_token_file = %s\n' \
			    "$TRASH_DIRECTORY/meta.secret" "$TRASH_DIRECTORY/meta.verify"
		case $ch in
		telegram)
			printf 'api = %s\n' "$SIM_URL" ;;
		whatsapp)
			printf 'api = %s/graph/v21.0\nphone_number_id = 1100\n' "$SIM_URL"
			printf 'template = stadt_news\ntemplate_language = de\n'
			[ -z "${HB_SIM_WHATSAPP:-}" ] ||
				printf '%s\n' "$HB_SIM_WHATSAPP" ;;
		messenger)
			printf 'api = %s/graph/v21.0\npage_id = 2200\n' "$SIM_URL" ;;
		instagram)
			printf 'api = %s/instagram/v21.0\naccount_id = 3300\n' "$SIM_URL"
			printf 'media_url = %s/static\nmedia_dir = %s/public\n' \
			    "$SIM_URL" "$TRASH_DIRECTORY" ;;
		esac
	done >>"$HB_CONF"
}

# hb_copies: "channel:address<TAB>count" of every recipient in the log.
hb_copies () {
	python3 "$TEST_DIRECTORY/sim/simlog.py" copies "$SIM_LOG"
}

# hb_sent_to id: the simulator's log entries of sends to id, into the
# file sent_to; fails when there are none.  (Not in a pipe: jq -e is
# content with no input at all.)
hb_sent_to () {
	jq -c --arg id "$1" 'select(.channel != null and .channel + ":" + .to == $id)' \
	    "$SIM_LOG" >sent_to &&
	test -s sent_to
}

# hb_subscribers prefix n [age]: import n active subscribers on each of
# the four channels, IDs 49170<prefix><6 digits>, whose last message came
# age seconds ago (default 600: inside every window).
hb_subscribers () {
	last=$(date -u -d "@$(($(date +%s) - ${3:-600}))" +%Y-%m-%dT%H:%M:%SZ)
	i=0
	while [ "$i" -lt "$2" ]; do
		for ch in telegram whatsapp messenger instagram; do
			printf '{"id":"%s:49170%s%06d","channel":"%s","state":"active","since":"2026-01-01T00:00:00Z","last_inbound":"%s"}\n' \
			    "$ch" "$1" "$i" "$ch" "$last"
		done
		i=$((i + 1))
	done >subs.jsonl &&
	hb-subscribe import subs.jsonl
}

# hb_texts id: the texts sent to id, one JSON string a line, in order.
hb_texts () {
	python3 "$TEST_DIRECTORY/sim/simlog.py" texts "$SIM_LOG" "$1"
}
