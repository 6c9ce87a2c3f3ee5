#!/bin/sh
test_description='hb-subscribe stats -P: the Prometheus text format, and it moves'
. "$(dirname "$0")/test-lib.sh"
. "$TEST_DIRECTORY/lib-sim.sh"

# metric name labels: the value of one sample of the metrics in file m,
# read with the Prometheus client's own parser (Debian's python3, where
# python3-prometheus-client is).
metric () {
	/usr/bin/python3 -c '
import sys
from prometheus_client.parser import text_string_to_metric_families
want = dict(a.split("=", 1) for a in sys.argv[2:])
for fam in text_string_to_metric_families(open("m").read()):
    for s in fam.samples:
        if s.name == sys.argv[1] and all(s.labels.get(k) == v for k, v in want.items()):
            print(int(s.value))
            sys.exit(0)
sys.exit(1)' "$@"
}

test_expect_success 'setup' '
	hb_start_sim &&
	hb_sim_conf "daily_limit = 0" &&
	printf "\n[topics]\nbaustellen = Baustellen\n" >>"$HB_CONF" &&
	hb_subscribers 1 3 &&
	echo "Heute: Stadtfest." >news
'

test_expect_success 'the metrics parse, and say what the store holds' '
	hb-subscribe stats -P >m &&
	test "$(metric hb_subscribers channel=telegram state=active)" = 3 &&
	test "$(metric hb_subscribers channel=whatsapp state=stopped)" = 0 &&
	test "$(metric hb_topic_subscribers topic=)" = 12 &&
	test "$(metric hb_topic_subscribers topic=baustellen)" = 0 &&
	test "$(metric hb_last_inbound_timestamp_seconds channel=telegram)" = 0 &&
	test "$(metric hb_oldest_unanswered_seconds)" = 0 &&
	test "$(metric hb_store_bytes)" -gt 0 &&
	test_must_fail metric hb_broadcast_deliveries
'

test_expect_success 'they move when a webhook arrives and a broadcast is sent' '
	before=$(date +%s) &&
	hb_tg_update 491701000000 "Wann ist das Fest?" 1 | hb-ingest >/dev/null &&
	hb_tg_update 491701000001 "Start Baustellen" 2 | hb-ingest >/dev/null &&
	hb-subscribe stats -P >m &&
	test "$(metric hb_last_inbound_timestamp_seconds channel=telegram)" -ge "$before" &&
	test "$(metric hb_last_inbound_timestamp_seconds channel=whatsapp)" = 0 &&
	test "$(metric hb_topic_subscribers topic=baustellen)" = 1 &&
	test "$(metric hb_outbox_queued)" = 1 &&
	hb-broadcast send news >id &&
	hb-subscribe stats -P >m &&
	test "$(metric hb_broadcast_deliveries broadcast="$(cat id)" channel=telegram state=sent)" = 3 &&
	test "$(metric hb_outbox_queued)" = 0 &&
	test "$(metric hb_deliveries_open)" = 0 &&
	test_expect_code 64 hb-subscribe list -P 2>/dev/null
'

test_done
