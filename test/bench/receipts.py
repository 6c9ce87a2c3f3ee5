#!/usr/bin/env python3
"""receipts: post WhatsApp status webhooks at a steady rate, as Meta does
for the messages a send delivers (sent, delivered, read: up to three a
message), to hb-ingest under a web server.

    receipts.py URL APP_SECRET RATE SECONDS

Eight connections with keep-alive share an even schedule.  Prints one
line: what was posted at what rate, and how many of the answers were
200, 503 and anything else.
"""

import hashlib
import hmac
import http.client
import json
import sys
import threading
import time
import urllib.parse

WORKERS = 8


def body(i):
    status = ("sent", "delivered", "read")[i % 3]
    return json.dumps({
        "object": "whatsapp_business_account",
        "entry": [{"id": "1", "changes": [{"field": "messages", "value": {
            "messaging_product": "whatsapp",
            "metadata": {"display_phone_number": "4930",
                         "phone_number_id": "1100"},
            "statuses": [{"id": "wamid.B%d" % (i // 3), "status": status,
                          "timestamp": str(int(time.time())),
                          "recipient_id": "49170%08d" % (i // 3)}]}}]}],
    }).encode()


def main():
    url, secret, rate, seconds = sys.argv[1], sys.argv[2].encode(), \
        float(sys.argv[3]), float(sys.argv[4])
    u = urllib.parse.urlsplit(url)
    total = int(rate * seconds)
    counts = {}
    lock = threading.Lock()
    start = time.monotonic() + 0.1

    def work(k):
        conn = http.client.HTTPConnection(u.hostname, u.port, timeout=30)
        for i in range(k, total, WORKERS):
            wait = start + i / rate - time.monotonic()
            if wait > 0:
                time.sleep(wait)
            data = body(i)
            sig = hmac.new(secret, data, hashlib.sha256).hexdigest()
            try:
                conn.request("POST", u.path, data, {
                    "Content-Type": "application/json",
                    "X-Hub-Signature-256": "sha256=" + sig})
                r = conn.getresponse()
                r.read()
                key = r.status
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection(u.hostname, u.port,
                                                  timeout=30)
                key = "error"
            with lock:
                counts[key] = counts.get(key, 0) + 1

    threads = [threading.Thread(target=work, args=(k,))
               for k in range(WORKERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    took = time.monotonic() - start
    other = sum(n for k, n in counts.items() if k not in (200, 503))
    print("receipts: %d posted in %.1f s: %.0f/s (asked %.0f/s); 200: %d, "
          "503: %d (%.1f%%), other: %d" % (
              total, took, total / took, rate, counts.get(200, 0),
              counts.get(503, 0), 100.0 * counts.get(503, 0) / max(total, 1),
              other))


if __name__ == "__main__":
    main()
