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
    POST /bot<TOKEN>/sendPhoto, /sendDocument
                                  Telegram: a multipart upload (the answer
                                  holds the file_id) or JSON with a file_id
    POST .../<ID>/media           WhatsApp's upload: {"id": media id}
    POST .../<ID>/message_attachments
                                  Messenger's upload: {"attachment_id"}
    GET  /bot<TOKEN>/getFile?file_id=, /file/bot<TOKEN>/<path>
    GET  /<media id>, /wa-media/<id>   WhatsApp: the URL, then the bytes
    GET  /cdn/<id>                Messenger's and Instagram's payload.url
    GET  /bot<TOKEN>/getMe, /getWebhookInfo   Telegram (hb-broadcast check)
    GET  /graph/.../<ID>?fields=  the phone number, page or account
    GET  /graph/.../<WABA>/message_templates?name=   a template, APPROVED
    GET  /static/<name>           the files of --static DIR (Instagram's
                                  media_url; the simulator fetches what an
                                  Instagram send names, as Instagram does)

Uploads and sends by reference check the platforms' limits (type and
size) and answer with their errors: too large, wrong type, unknown or
expired reference.

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
    POST /sim/media              {"id": id, "file": path, "mime": type,
                                  "expired": bool}: a citizen's picture or
                                  document that the platform holds, for
                                  fetch (expired: its URL answers 403)
    POST /sim/forget             {"id": id}: a reference expires (sends by
                                  it are refused as unknown)
    POST /sim/webhook            {"url": u, "last_error": s}: what
                                  getWebhookInfo says (default: none set)
    POST /sim/template           {"name": n, "status": s}: a template's
                                  status (default: APPROVED)

Faults (/sim/fault) apply to GET requests too.

Each send is logged with "channel", "to", "text" (or "template"), "t",
the time it arrived, and "media" (the reference sent) for attachments;
each upload with "upload" (the channel), "size" and "sha256".
test/sim/simlog.py sums a log up.
"""

import argparse
import collections
import email.parser
import email.policy
import hashlib
import http.server
import json
import os
import re
import threading
import time
import urllib.parse
import urllib.request

MB = 1000000
# platforms.md section 8: what each platform takes, by upload.
LIMITS = {
    "telegram": {"image": 10 * MB, "document": 50 * MB},
    "whatsapp": {"image": 5 * MB, "document": 100 * MB},
    "messenger": {"image": 25 * MB, "document": 25 * MB},
    "instagram": {"image": 8 * MB, "document": 25 * MB},
}
TYPES = {"image/jpeg": "image", "image/png": "image",
         "application/pdf": "document"}


def sniff(data):
    """The MIME type the first bytes say, as a platform checks."""
    if data.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if data.startswith(b"%PDF-"):
        return "application/pdf"
    return None


def parse_form(content_type, raw):
    """multipart/form-data: (fields, files); files: name -> (bytes, type, filename)."""
    msg = email.parser.BytesParser(policy=email.policy.HTTP).parsebytes(
        b"Content-Type: " + content_type.encode() + b"\r\n\r\n" + raw)
    fields, files = {}, {}
    for part in msg.iter_parts():
        name = part.get_param("name", header="content-disposition")
        data = part.get_payload(decode=True) or b""
        if part.get_filename() is not None:
            files[name] = (data, part.get_content_type(),
                           part.get_filename())
        else:
            fields[name] = data.decode("utf-8", "replace")
    return fields, files


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
        self.media = {}         # reference -> {"data", "mime", "expired"}
        self.webhook = {"url": ""}
        self.templates = {}
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
    """(api, channel, to, text, is_template, media) of a send, or None.

    media is the reference a send by reference names ("" for a
    Telegram upload, None for text)."""
    if not isinstance(body, dict):
        return None
    if re.fullmatch(r"/bot[^/]+/sendMessage", path):
        return ("telegram", "telegram", str(body.get("chat_id")),
                body.get("text"), False, None)
    m = re.fullmatch(r"/bot[^/]+/send(Photo|Document)", path)
    if m:
        ref = body.get(m.group(1).lower())
        return ("telegram", "telegram", str(body.get("chat_id")),
                body.get("caption"), False,
                ref if isinstance(ref, str) else "")
    if not re.fullmatch(r"/.+/messages", path):
        return None
    if body.get("messaging_product") == "whatsapp":
        kind = body.get("type")
        if kind == "template":
            media, text = None, None
            for c in body.get("template", {}).get("components", []):
                p = (c.get("parameters") or [{}])[0]
                if c.get("type") == "header":
                    media = p.get(p.get("type"), {}).get("id")
                elif c.get("type") == "body":
                    text = p.get("text")
            return ("whatsapp", "whatsapp", str(body.get("to")), text,
                    True, media)
        if kind in ("image", "document"):
            o = body.get(kind, {})
            return ("whatsapp", "whatsapp", str(body.get("to")),
                    o.get("caption"), False, o.get("id"))
        return ("whatsapp", "whatsapp", str(body.get("to")),
                body.get("text", {}).get("body"), False, None)
    recipient = body.get("recipient", {}).get("id")
    if recipient is None:
        return None
    channel = "instagram" if "instagram" in path else "messenger"
    message = body.get("message", {})
    payload = message.get("attachment", {}).get("payload")
    media = None
    if payload is not None:
        media = payload.get("url" if channel == "instagram" else
                            "attachment_id")
    return ("meta", channel, str(recipient), message.get("text"), False,
            media)


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
        self.write(data)

    def write(self, data):
        try:
            self.wfile.write(data)
        except (BrokenPipeError, ConnectionResetError):
            pass        # the client is gone (a test killed it)

    def raw(self, status, data, mime):
        self.send_response(status)
        self.send_header("Content-Type", mime)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.write(data)

    def base(self):
        return "http://%s:%d" % self.server.server_address[:2]

    def do_GET(self):
        sim = self.server.sim
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        sim.record({"method": "GET", "path": url.path, "t": time.time(),
                    "auth": self.headers.get("Authorization")})
        f = sim.fault(url.path)
        if f:
            return self.answer(f["status"], f.get("body", {}),
                               f.get("headers"))
        if re.fullmatch(r"/bot[^/]+/getMe", url.path):
            return self.answer(200, {"ok": True, "result": {
                "id": 7000000001, "is_bot": True, "first_name": "Stadt",
                "username": "StadtNewsBot"}})
        if re.fullmatch(r"/bot[^/]+/getWebhookInfo", url.path):
            info = {"url": sim.webhook.get("url", ""),
                    "has_custom_certificate": False,
                    "pending_update_count": len(sim.updates)}
            if sim.webhook.get("last_error"):
                info["last_error_date"] = int(time.time())
                info["last_error_message"] = sim.webhook["last_error"]
            return self.answer(200, {"ok": True, "result": info})
        m = re.fullmatch(r"/graph/.*/([^/]+)/message_templates", url.path)
        if m:
            name = query.get("name", "")
            return self.answer(200, {"data": [{
                "name": name, "language": "de", "category": "UTILITY",
                "status": sim.templates.get(name, "APPROVED")}]})
        m = re.fullmatch(r"/(graph|instagram)/v[0-9.]+/([0-9]+)", url.path)
        if m and "fields" in query:
            if not (self.headers.get("Authorization") or "").startswith(
                    "Bearer "):
                return self.answer(*graph_error(401, 190, "no token"))
            return self.answer(200, {
                "id": m.group(2), "display_phone_number": "+49 7131 560",
                "verified_name": "Stadt", "quality_rating": "GREEN",
                "throughput": {"level": "STANDARD"}, "name": "Stadt",
                "username": "stadt"})
        m = re.fullmatch(r"/bot[^/]+/getFile", url.path)
        if m:
            fid = query.get("file_id", "")
            if fid not in sim.media:
                return self.answer(*telegram_error(
                    400, "Bad Request: invalid file_id"))
            return self.answer(200, {"ok": True, "result": {
                "file_id": fid, "file_unique_id": "u" + fid,
                "file_size": len(sim.media[fid]["data"]),
                "file_path": "files/" + fid}})
        m = re.fullmatch(r"/file/bot[^/]+/files/(.+)", url.path)
        if m:
            return self.held_file(sim, m.group(1), None)
        m = re.fullmatch(r"/wa-media/(.+)", url.path)
        if m:
            return self.held_file(sim, m.group(1), "Bearer")
        m = re.fullmatch(r"/cdn/(.+)", url.path)
        if m:
            return self.held_file(sim, m.group(1), None)
        m = re.fullmatch(r"/static/([^/]+)", url.path)
        if m and self.server.static:
            try:
                with open(os.path.join(self.server.static,
                                       m.group(1)), "rb") as f:
                    data = f.read()
            except OSError:
                return self.answer(404, {})
            return self.raw(200, data, sniff(data) or "text/plain")
        m = re.fullmatch(r"/graph/.*/([^/]+)", url.path)
        if m and m.group(1) in sim.media:
            if not (self.headers.get("Authorization") or "").startswith(
                    "Bearer "):
                return self.answer(*graph_error(401, 190, "no token"))
            h = sim.media[m.group(1)]
            return self.answer(200, {
                "messaging_product": "whatsapp", "id": m.group(1),
                "url": self.base() + "/wa-media/" + m.group(1),
                "mime_type": h["mime"], "file_size": len(h["data"]),
                "sha256": hashlib.sha256(h["data"]).hexdigest()})
        self.answer(200, {"ok": True})

    def held_file(self, sim, ref, auth):
        """The bytes of a held file, as the platform's download URL."""
        h = sim.media.get(ref)
        if h is None or h.get("expired"):
            return self.answer(403, {"error": "URL signature expired"})
        if auth and not (self.headers.get("Authorization") or "") \
                .startswith(auth + " "):
            return self.answer(401, {"error": "no token"})
        self.raw(200, h["data"], h["mime"])

    def upload(self, sim, channel, files, field):
        """Take an uploaded file: (reference, None) or (None, error)."""
        api = "telegram" if channel == "telegram" else "meta"
        if field not in files:
            return None, (telegram_error(400, "Bad Request: there is no "
                                         "file in the request")
                          if api == "telegram" else graph_error(
                              400, 100, "(#100) No file was uploaded"))
        data, declared, name = files[field]
        mime = sniff(data)
        kind = TYPES.get(mime)
        if kind is None or (channel != "telegram" and declared != mime):
            return None, (telegram_error(400, "Bad Request: "
                                         "IMAGE_PROCESS_FAILED")
                          if api == "telegram" else graph_error(
                              400, 131053 if channel == "whatsapp" else
                              100, "Media upload error: wrong type",
                              subcode=None if channel == "whatsapp" else
                              2018047))
        if len(data) > LIMITS[channel][kind]:
            return None, (telegram_error(400, "Bad Request: file is too big")
                          if api == "telegram" else graph_error(
                              400, 131053 if channel == "whatsapp" else
                              100, "Media upload error: too large",
                              subcode=None if channel == "whatsapp" else
                              2018047))
        n = sim.next_id()
        ref = {"telegram": "AgADSIM%06d", "whatsapp": "%015d",
               "messenger": "%d"}[channel] % (900000000 + n
                                               if channel != "telegram"
                                               else n)
        with sim.lock:
            sim.media[ref] = {"data": data, "mime": mime, "name": name}
        sim.record({"upload": channel, "ref": ref, "size": len(data),
                    "sha256": hashlib.sha256(data).hexdigest(),
                    "t": time.time()})
        return ref, None

    def known(self, sim, channel, ref):
        """None if a send may name ref, else the platform's error."""
        if channel == "instagram":
            try:
                with urllib.request.urlopen(ref, timeout=5) as r:
                    data = r.read()
            except (OSError, ValueError):
                data = b""
            if sniff(data) is None:
                return graph_error(400, 100, "(#100) Upload attachment "
                                   "failure.", subcode=2018047)
            return None
        h = sim.media.get(ref)
        if h is not None and not h.get("expired"):
            return None
        if channel == "telegram":
            return telegram_error(400, "Bad Request: wrong file identifier"
                                  "/HTTP URL specified")
        if channel == "whatsapp":
            return graph_error(400, 131053, "Media upload error",
                               details="Unable to download the media")
        return graph_error(400, 100, "(#100) Upload attachment failure.",
                           subcode=2018047)

    def do_POST(self):
        sim = self.server.sim
        raw = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        ctype = self.headers.get("Content-Type", "")
        files = {}
        if ctype.startswith("multipart/form-data"):
            body, files = parse_form(ctype, raw)
        else:
            try:
                body = json.loads(raw) if raw else {}
            except ValueError:
                body = raw.decode("utf-8", "replace")
        if self.path.startswith("/sim/"):
            return self.control(sim, body)
        now = time.time()
        send = describe_send(self.path, body)
        entry = {"method": "POST", "path": self.path, "body": body, "t": now}
        if files:
            entry["files"] = {k: {"type": v[1], "filename": v[2],
                                  "size": len(v[0])}
                              for k, v in files.items()}
        if send:
            api, channel, to, text, is_template, media = send
            entry.update(channel=channel, to=to, text=text,
                         template=is_template,
                         auth=self.headers.get("Authorization"))
            if media is not None:
                entry["media"] = media
        sim.record(entry)
        f = sim.fault(self.path)
        if f:
            if f.get("delay"):
                time.sleep(f["delay"])
            return self.answer(f["status"], f.get("body", {}),
                               f.get("headers"))
        if re.fullmatch(r"/bot[^/]+/getUpdates", self.path):
            return self.answer(200, sim.get_updates(body))
        if re.fullmatch(r"/.+/media", self.path):
            ref, err = self.upload(sim, "whatsapp", files, "file")
            return self.answer(*err) if err else self.answer(200, {"id": ref})
        if re.fullmatch(r"/.+/message_attachments", self.path):
            ref, err = self.upload(sim, "messenger", files, "filedata")
            return self.answer(*err) if err else \
                self.answer(200, {"attachment_id": ref})
        if send:
            return self.send_message(sim, send, body, now, files)
        self.answer(404, {"ok": False, "error_code": 404,
                          "description": "Not Found"})

    def send_message(self, sim, send, body, now, files):
        api, channel, to, text, is_template, media = send
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
        if media == "":        # Telegram: the send uploads the file
            field = "photo" if "sendPhoto" in self.path else "document"
            media, err = self.upload(sim, "telegram", files, field)
            if err:
                return self.answer(*err)
        elif media is not None:
            err = self.known(sim, channel, media)
            if err:
                return self.answer(*err)
        n = sim.next_id()
        if api == "telegram":
            result = {"message_id": n, "date": int(now),
                      "chat": {"id": body.get("chat_id"), "type": "private"}}
            if media is None:
                result["text"] = text
            elif "sendPhoto" in self.path:
                result["photo"] = [{"file_id": media + "_s", "width": 90},
                                   {"file_id": media, "width": 1280}]
            else:
                result["document"] = {"file_id": media}
            return self.answer(200, {"ok": True, "result": result})
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
            elif self.path == "/sim/media":
                with open(body["file"], "rb") as f:
                    sim.media[body["id"]] = {
                        "data": f.read(), "mime": body["mime"],
                        "expired": body.get("expired", False)}
            elif self.path == "/sim/forget":
                sim.media.pop(body["id"], None)
            elif self.path == "/sim/webhook":
                sim.webhook = body
            elif self.path == "/sim/template":
                sim.templates[body["name"]] = body["status"]
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
    p.add_argument("--static", help="a directory served under /static/")
    a = p.parse_args()
    server = Server(("127.0.0.1", 0), Handler)
    server.sim = Sim(a.log)
    server.static = a.static
    with open(a.port_file + ".tmp", "w") as f:
        f.write("%d\n" % server.server_address[1])
    os.rename(a.port_file + ".tmp", a.port_file)
    server.serve_forever()


if __name__ == "__main__":
    main()
