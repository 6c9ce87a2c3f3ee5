#!/usr/bin/env python3
"""hbsim: a stand-in for the messenger platforms' APIs, on loopback.

hb's tests and `make demo` point each channel's `api` at it.  It speaks
the platforms' shapes as ../../shared/platforms.md describes them and
logs every request it receives, one JSON object per line.

So far: Telegram's getUpdates (hb-ingest poll).  The send APIs follow
with hb-broadcast.

    hbsim.py --port-file FILE --log FILE

Control endpoints, for the tests:
    POST /sim/telegram/updates   queue updates (a JSON array)
    POST /sim/fault              {"path": regex, "status": n, "body": {...},
                                  "count": n}: answer the next n matching
                                  requests so
"""

import argparse
import http.server
import json
import re
import threading


class Sim:
    def __init__(self, log):
        self.lock = threading.Condition()
        self.updates = []
        self.faults = []
        self.log = open(log, "a", buffering=1)

    def record(self, method, path, body):
        with self.lock:
            self.log.write(json.dumps({"method": method, "path": path,
                                       "body": body}, sort_keys=True) + "\n")

    def fault(self, path):
        with self.lock:
            for f in self.faults:
                if f["count"] > 0 and re.search(f["path"], path):
                    f["count"] -= 1
                    return f
        return None

    def get_updates(self, req):
        """getUpdates: confirm what is below offset, long-poll for more."""
        offset = int(req.get("offset", 0))
        limit = int(req.get("limit", 100))
        timeout = min(int(req.get("timeout", 0)), 5)
        with self.lock:
            self.updates = [u for u in self.updates
                            if u["update_id"] >= offset]
            if not self.updates and timeout > 0:
                self.lock.wait(timeout)
            return {"ok": True, "result": self.updates[:limit]}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, obj):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self):
        self.answer(200, {"ok": True})

    def do_POST(self):
        sim = self.server.sim
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            body = raw.decode("utf-8", "replace")
        if self.path.startswith("/sim/"):
            return self.control(sim, body)
        sim.record("POST", self.path, body)
        f = sim.fault(self.path)
        if f:
            return self.answer(f["status"], f.get("body", {}))
        if re.fullmatch(r"/bot[^/]+/getUpdates", self.path):
            return self.answer(200, sim.get_updates(body))
        self.answer(404, {"ok": False, "error_code": 404,
                          "description": "Not Found"})

    def control(self, sim, body):
        with sim.lock:
            if self.path == "/sim/telegram/updates":
                sim.updates.extend(body)
                sim.lock.notify_all()
            elif self.path == "/sim/fault":
                body.setdefault("count", 1)
                sim.faults.append(body)
            else:
                return self.answer(404, {})
        self.answer(200, {"ok": True})


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    a = p.parse_args()
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.sim = Sim(a.log)
    server.daemon_threads = True
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    import os
    os.rename(a.port_file + ".tmp", a.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
