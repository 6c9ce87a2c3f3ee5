# lib-sim.sh: the platform simulator (test/sim/hbsim.py) for a test
# script.  hb_start_sim starts it on a free loopback port and sets
# $SIM_URL; its request log is $SIM_LOG.  It stops when the script ends.

SIM_LOG=$TRASH_DIRECTORY/sim.log

hb_start_sim () {
	rm -f "$TRASH_DIRECTORY/sim.port"
	python3 "$TEST_DIRECTORY/sim/hbsim.py" --port-file "$TRASH_DIRECTORY/sim.port" \
	    --log "$SIM_LOG" &
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
