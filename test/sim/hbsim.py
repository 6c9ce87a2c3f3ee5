#!/usr/bin/env python3
"""hbsim: a stand-in for the messenger platforms' APIs, on loopback.

hb's tests and `make demo` point each channel's `api` at it.  It speaks
the platforms' shapes as ../../shared/platforms.md describes them and
logs every request it receives, one JSON object per line.

    hbsim.py --port-file FILE --log FILE

The platform endpoints:
    POST /bot<TOKEN>/getUpdates   Telegram's long poll (hb-ingest poll)
    POST /bot<TOKEN>/sendMessage  Telegram
    POST .../<ID>/messages        WhatsApp (a body with messaging_product),
                                  Messenger and Instagram (with recipient;
                                  Instagram when the path names it)

Control endpoints, for the tests:
    POST /sim/telegram/updates   queue updates (a JSON array)
    POST /sim/fault              {"path": regex, "status": n, "body": {...},
                                  "headers": {...}, "count": n, "after": n,
                                  "delay": s}:
                                  answer the next n matching requests (after
                                  letting `after' of them through) so
    POST /sim/recipient          {"to": address, "behaviour": b, "count": n,
                                  "delay": s, "retry_after": s}: how sends
                                  to one recipient fare, n times (default:
                                  always).  b is one of
                                    blocked    the platform's "blocked" or
                                               "unavailable" error
                                    window     outside the 24 hour window
                                               (free text only)
                                    tempfail   503
                                    throttle   429 + retry_after, 130429, 613
                                    pair       WhatsApp's 131056
                                    slow       answer after `delay' seconds
    POST /sim/limit              {"channel": c, "rate": n}: more than n sends
                                  to channel c within one second are answered
                                  as the platform answers a flood
    POST /sim/clear              {}: forget every fault, recipient, limit
                                  and hold set before
    POST /sim/hold               {"channel": c}: sends to channel c are
                                  logged, then answered only after
    POST /sim/release            {"channel": c}, as a platform that hangs

Each send is logged with "channel", "to", "text" (or "template") and "t",
the time it arrived; test/sim/simlog.py sums a log up.
"""

import argparse
import collections
import http.server
import json
import os
import re
import threading
import time


def telegram_error(status, description, retry_after=None):
    body = {"ok": False, "error_code": status, "description": description}
    if retry_after is not None:
        body["parameters"] = {"retry_after": retry_after}
    return status, body


def graph_error(status, code, message, subcode=None, details=None):
    err = {"message": message, "type": "OAuthException", "code": code,
           "fbtrace_id": "Asim"}
    if subcode is not None:
        err["error_subcode"] = subcode
    if details is not None:
        err["error_data"] = {"messaging_product": "whatsapp",
                             "details": details}
    return status, {"error": err}


# What each behaviour answers, per kind of API.
def misbehave(api, behaviour, rec, is_template):
    if behaviour == "tempfail":
        if api == "telegram":
            return telegram_error(502, "Bad Gateway")
        return graph_error(503, 2, "Service temporarily unavailable")
    if api == "telegram":
        if behaviour == "blocked":
            return telegram_error(403, "Forbidden: bot was blocked by the user")
        if behaviour == "throttle":
            n = rec.get("retry_after", 1)
            return telegram_error(429, "Too Many Requests: retry after %d" % n,
                                  n)
        return None
    if api == "whatsapp":
        if behaviour == "blocked":
            return graph_error(400, 131026, "Message Undeliverable.",
                               details="Message Undeliverable.")
        if behaviour == "window" and not is_template:
            return graph_error(400, 131047, "Re-engagement message",
                               details="More than 24 hours have passed "
                               "since the recipient last replied.")
        if behaviour == "throttle":
            return graph_error(400, 130429, "(#130429) Rate limit hit",
                               details="Cloud API message throughput has "
                               "been reached.")
        if behaviour == "pair":
            return graph_error(400, 131056, "(#131056) (Business Account, "
                               "Consumer Account) pair rate limit hit")
        return None
    # Messenger and Instagram
    if behaviour == "blocked":
        return graph_error(400, 551, "(#551) This person isn't available "
                           "right now.", subcode=1545041)
    if behaviour == "window":
        return graph_error(400, 10, "(#10) This message is sent outside of "
                           "allowed window.", subcode=2018278)
    if behaviour == "throttle":
        return graph_error(400, 613, "(#613) Calls to this api have exceeded "
                           "the rate limit.")
    return None


def flood(api):
    if api == "telegram":
        return telegram_error(429, "Too Many Requests: retry after 1", 1)
    if api == "whatsapp":
        return graph_error(400, 130429, "(#130429) Rate limit hit")
    return graph_error(400, 613, "(#613) Calls to this api have exceeded "
                       "the rate limit.")


class Sim:
    def __init__(self, log):
        self.lock = threading.Condition()
        self.updates = []
        self.faults = []
        self.recipients = {}
        self.limits = {}
        self.held = set()
        self.recent = collections.defaultdict(collections.deque)
        self.seq = 0
        self.log = open(log, "a", buffering=1)

    def record(self, entry):
        with self.lock:
            self.log.write(json.dumps(entry, sort_keys=True,
                                      ensure_ascii=False) + "\n")

    def fault(self, path):
        with self.lock:
            for f in self.faults:
                if f["count"] > 0 and re.search(f["path"], path):
                    if f.get("after", 0) > 0:
                        f["after"] -= 1
                        continue
                    f["count"] -= 1
                    return f
        return None

    def behaviour(self, to):
        with self.lock:
            rec = self.recipients.get(str(to))
            if rec is None or rec.get("count", 1) <= 0:
                return None
            if "count" in rec:
                rec["count"] -= 1
            return rec

    def flooded(self, channel, now):
        """True when this send exceeds the channel's configured rate."""
        with self.lock:
            rate = self.limits.get(channel)
            if not rate:
                return False
            q = self.recent[channel]
            while q and q[0] <= now - 1.0:
                q.popleft()
            if len(q) >= rate:
                return True
            q.append(now)
            return False

    def wait_released(self, channel):
        with self.lock:
            while channel in self.held:
                self.lock.wait()

    def next_id(self):
        with self.lock:
            self.seq += 1
            return self.seq

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


def describe_send(path, body):
    """(api, channel, to, text, is_template) of a send, or None."""
    if not isinstance(body, dict):
        return None
    if re.fullmatch(r"/bot[^/]+/sendMessage", path):
        return ("telegram", "telegram", str(body.get("chat_id")),
                body.get("text"), False)
    if not re.fullmatch(r"/.+/messages", path):
        return None
    if body.get("messaging_product") == "whatsapp":
        if body.get("type") == "template":
            params = body.get("template", {}).get("components", [{}])[0] \
                .get("parameters", [{}])
            return ("whatsapp", "whatsapp", str(body.get("to")),
                    params[0].get("text"), True)
        return ("whatsapp", "whatsapp", str(body.get("to")),
                body.get("text", {}).get("body"), False)
    recipient = body.get("recipient", {}).get("id")
    if recipient is None:
        return None
    channel = "instagram" if "instagram" in path else "messenger"
    return ("meta", channel, str(recipient),
            body.get("message", {}).get("text"), False)


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, obj, headers=None):
        data = json.dumps(obj).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
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
        now = time.time()
        send = describe_send(self.path, body)
        entry = {"method": "POST", "path": self.path, "body": body, "t": now}
        if send:
            api, channel, to, text, is_template = send
            entry.update(channel=channel, to=to, text=text,
                         template=is_template,
                         auth=self.headers.get("Authorization"))
        sim.record(entry)
        f = sim.fault(self.path)
        if f:
            if f.get("delay"):
                time.sleep(f["delay"])
            return self.answer(f["status"], f.get("body", {}),
                               f.get("headers"))
        if re.fullmatch(r"/bot[^/]+/getUpdates", self.path):
            return self.answer(200, sim.get_updates(body))
        if send:
            return self.send_message(sim, send, body, now)
        self.answer(404, {"ok": False, "error_code": 404,
                          "description": "Not Found"})

    def send_message(self, sim, send, body, now):
        api, channel, to, text, is_template = send
        sim.wait_released(channel)
        if sim.flooded(channel, now):
            return self.answer(*flood(api))
        rec = sim.behaviour(to)
        if rec:
            if rec["behaviour"] == "slow":
                time.sleep(rec.get("delay", 1))
            else:
                bad = misbehave(api, rec["behaviour"], rec, is_template)
                if bad:
                    return self.answer(*bad)
        n = sim.next_id()
        if api == "telegram":
            return self.answer(200, {"ok": True, "result": {
                "message_id": n, "date": int(now), "text": text,
                "chat": {"id": body.get("chat_id"), "type": "private"}}})
        if api == "whatsapp":
            return self.answer(200, {
                "messaging_product": "whatsapp",
                "contacts": [{"input": to, "wa_id": to}],
                "messages": [{"id": "wamid.SIM%08d" % n,
                              "message_status": "accepted"}]})
        return self.answer(200, {"recipient_id": to,
                                 "message_id": "m_SIM%08d" % n})

    def control(self, sim, body):
        with sim.lock:
            if self.path == "/sim/telegram/updates":
                sim.updates.extend(body)
                sim.lock.notify_all()
            elif self.path == "/sim/fault":
                body.setdefault("count", 1)
                sim.faults.append(body)
            elif self.path == "/sim/recipient":
                sim.recipients[str(body["to"])] = body
            elif self.path == "/sim/limit":
                sim.limits[body["channel"]] = body["rate"]
            elif self.path == "/sim/clear":
                sim.faults.clear()
                sim.recipients.clear()
                sim.limits.clear()
                sim.held.clear()
                sim.lock.notify_all()
            elif self.path == "/sim/hold":
                sim.held.add(body["channel"])
            elif self.path == "/sim/release":
                sim.held.discard(body["channel"])
                sim.lock.notify_all()
            else:
                return self.answer(404, {})
        self.answer(200, {"ok": True})


class Server(http.server.ThreadingHTTPServer):
    # A class attribute: the constructor listens with it.  hb keeps tens
    # of requests in flight a channel, each on a connection of its own.
    request_queue_size = 1024
    daemon_threads = True


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port-file", required=True)
    p.add_argument("--log", required=True)
    a = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.sim = Sim(a.log)
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
