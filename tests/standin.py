#!/usr/bin/python3
# sme: a stand-in for the smart-me REST API on 127.0.0.1, for tests, demo and bench; licence in COPYING
"""Serves the smart-me API's shapes (PascalCase keys, omitted fields, int
enums, 7-digit fractions, the 1000-value cap) from data generated
deterministically: the same options always give the same bytes.

usage: /usr/bin/python3 tests/standin.py -p PORTFILE [option ...]

  -p FILE          write the port (picked by the system) to FILE when ready
  --now TIME       the stand-in's clock (2026-12-01T06:00:00Z): no value after
  --latency SEC    sleep this long before every reply (0)
  --key KEY        the API key accepted (demo-key)
  --client ID:SEC  the OAuth client accepted (demo-client:demo-secret)
  --user U:P       the Basic user accepted (demo:demo-pass)
  --token-ttl SEC  OAuth tokens expire after this (3600)
  --cap N          values a ValuesInPastMultiple call may return (1000)
  --gaps MODE      omit: a time without data has no entry (default);
                   repeat: it repeats the last value before (ValuesInPast)
  --meters N       N more meters, serials 100000.., in the folder /Bench
  --fault K:PATH[:N]
                   the first N requests (all when N is 0 or absent) whose
                   path starts with PATH fail: K is 429 (with Retry-After),
                   500, 503, 401, reset (connection dropped mid-body),
                   truncated (a 200 with cut JSON), html (a 200 of HTML),
                   slow (the reply waits 30 s); camel (values with
                   camelCase keys, nulls, +01:00 dates), strvalue (a value
                   sent as a string); hostile: endless (a body that never
                   ends), drip (a byte every 0.5 s), junk (no HTTP),
                   shortlen (a Content-Length too small), bomb (80 MiB
                   gzipped), redirect (302 to 127.0.0.2), deep (JSON nested
                   100000 deep), names (/FolderMenu: Haus 4 and Wasser named
                   with escapes, a line break and 5000 more bytes), loop
                   (/FolderMenu: Nord inside Nord/Haus 3), dup (/Devices:
                   every device twice)
  --retry-after S  the Retry-After of a 429 (1)
  --log FILE       append "METHOD PATH?QUERY AUTHSCHEME STATUS" per request

Data: folders Nord (Haus 3: 1001, 1002 in Wh; Haus 4: -231328692) and Sued
(Haus 3: 12345, 9007199254740993, stale 1003, hole 1004; Wasser: water
2001) and Labor (1005, whose values fit no scale); virtual tariffs in Nord.
Paths are served with and without the /api prefix.
"""
import hashlib
import json
import os
import socket
import sys
import threading
import time
import uuid
from datetime import datetime, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlsplit
import base64

EPOCH = 1767225600  # 2026-01-01T00:00:00Z
Q = 900
NS = uuid.UUID("6f1c2a4e-9b1d-4c55-a0f1-5e8d3c7b2a10")

opt = {
    "port": None, "now": "2026-12-01T06:00:00Z", "latency": 0.0,
    "key": "demo-key", "client": "demo-client:demo-secret",
    "user": "demo:demo-pass", "ttl": 3600, "cap": 1000, "gaps": "omit",
    "meters": 0, "faults": [], "retry_after": 1, "log": None,
}


def die(msg):
    sys.stderr.write("standin: %s\n" % msg)
    sys.exit(2)


def parse_args(argv):
    i = 0
    names = {"-p": "port", "--now": "now", "--latency": "latency",
             "--key": "key", "--client": "client", "--user": "user",
             "--token-ttl": "ttl", "--cap": "cap", "--gaps": "gaps",
             "--meters": "meters", "--retry-after": "retry_after",
             "--log": "log"}
    while i < len(argv):
        a = argv[i]
        if i + 1 >= len(argv):
            die("option %s needs a value" % a)
        v = argv[i + 1]
        i += 2
        if a == "--fault":
            k = v.split(":")
            if len(k) < 2:
                die("--fault K:PATH[:N]")
            opt["faults"].append([k[0], k[1], int(k[2]) if len(k) > 2 else 0])
        elif a in names:
            n = names[a]
            opt[n] = (float(v) if n == "latency" else
                      int(v) if n in ("ttl", "cap", "meters") else v)
        else:
            die("unknown option %s" % a)
    if not opt["port"]:
        die("usage: standin.py -p PORTFILE [option ...]")


def ptime(s):
    """RFC 3339 UTC (Z or +00:00, fraction ignored) to seconds; None if bad"""
    try:
        s = s.strip()
        if s.endswith("Z") or s.endswith("z"):
            s = s[:-1] + "+00:00"
        if "." in s:
            head, rest = s.split(".", 1)
            i = 0
            while i < len(rest) and rest[i].isdigit():
                i += 1
            s = head + rest[i:]
        d = datetime.fromisoformat(s)
        if d.tzinfo is None:
            return None
        return int(d.timestamp())
    except ValueError:
        return None


def ftime(t, frac=""):
    return datetime.fromtimestamp(t, timezone.utc).strftime("%Y-%m-%dT%H:%M:%S") + frac + "Z"


def h(*parts):
    return int(hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def did(kind, key):
    return str(uuid.uuid5(NS, "%s:%s" % (kind, key)))


# ---- the data set -------------------------------------------------------

P = 96 * 7  # the increments repeat weekly
SHARED = {}


class Meter:
    def __init__(self, serial, name, energy=1, scale="kwh", stale=None,
                 hole=None, mpid=None, export=False, bad=False, subtype=4,
                 fast=False):
        self.serial = serial
        self.name = name
        self.id = did("meter", serial)
        self.energy = energy
        self.subtype = subtype
        self.scale = scale
        self.stale = ptime(stale) if stale else None
        self.hole = (ptime(hole[0]), ptime(hole[1])) if hole else None
        self.mpid = mpid
        self.export = export
        self.bad = bad
        s = abs(serial) % 1000003
        self.base = 1000000 + (s * 7919 % 5000000 if fast else h("base", serial) % 5000000)
        self.ebase = s % 200000 if fast else h("ebase", serial) % 200000
        # prefix sums of the weekly pattern: import T1, T2, export T1, T2;
        # many meters (--meters) share one cheaper pattern
        if fast and (energy, export) in SHARED:
            self.pre = SHARED[(energy, export)]
            return
        self.pre = [[0] * (P + 1) for _ in range(4)]
        if fast:
            SHARED[(energy, export)] = self.pre
        for q in range(P):
            hour = (q // 4) % 24
            t1 = 7 <= hour < 20
            # many meters (--meters) use a cheaper pattern than sha256
            r = ((s * 2654435761 + q * 40503) & 0xffffffff) >> 7 if fast else h("inc", s, q)
            inc = 20 + r % 180 if energy == 1 else 5 + r % 40
            r = (r * 48271) & 0xffffffff if fast else h("exp", s, q)
            exp = (r % 120 if (export and 9 <= hour < 16) else 0)
            for k, v in enumerate((inc if t1 else 0, 0 if t1 else inc,
                                   exp if t1 else 0, 0 if t1 else exp)):
                self.pre[k][q + 1] = self.pre[k][q] + v

    def reg(self, k, q):
        return (q // P) * self.pre[k][P] + self.pre[k][q % P]

    def registers(self, t):
        """the registers at instant t, in Wh (water: litres)"""
        q = (t - EPOCH) // Q
        i1, i2 = self.reg(0, q), self.reg(1, q)
        e1, e2 = self.reg(2, q), self.reg(3, q)
        b1 = self.base * 2 // 5
        b2 = self.base - b1
        if self.energy != 1:
            return {"8-0:1.0.0*255": self.base + i1 + i2}
        r = {"1-0:1.8.0*255": self.base + i1 + i2, "1-0:1.8.1*255": b1 + i1,
             "1-0:1.8.2*255": b2 + i2}
        if self.export:
            r.update({"1-0:2.8.0*255": self.ebase + e1 + e2,
                      "1-0:2.8.1*255": self.ebase // 2 + e1,
                      "1-0:2.8.2*255": self.ebase - self.ebase // 2 + e2})
        return r

    def last(self):
        """ValueDate: when the meter last sent a value"""
        now = ptime(opt["now"])
        return min(now, self.stale) if self.stale else now

    def has(self, t):
        if t > self.last():
            return opt["gaps"] == "repeat"
        if self.hole and self.hole[0] <= t < self.hole[1]:
            return False
        return True


def kwh(v):
    """an integer of Wh as kWh with 3 decimals, exact"""
    sign = "-" if v < 0 else ""
    v = abs(v)
    return "%s%d.%03d" % (sign, v // 1000, v % 1000)


def wire_value(m, v):
    if m.bad:
        return str(v * 10)
    if m.scale == "wh":
        return str(v)
    return kwh(v)


def folder(name, children, ae=None):
    return {"kind": "folder", "name": name, "id": did("folder", name + str(id(children))),
            "children": children, "ae": ae}


def build():
    ms = {}

    def m(*a, **k):
        x = Meter(*a, **k)
        ms[x.serial] = x
        return x

    nord = folder("Nord", [
        folder("Haus 3", [
            m(1001, "Haus 3 Wohnung 1", mpid="CH1234501234500000000000000101001", export=True),
            m(1002, "Haus 3 Wohnung 2", scale="wh", mpid="CH1234501234500000000000000101002"),
        ]),
        folder("Haus 4", [
            m(-231328692, "#1 Parkplatz oben (#1)", subtype=3,
              mpid="CH1234501234500000000000000104001"),
        ]),
    ], ae={"MeterPointId": "CH1234501234500000000000000100000",
           "ExportFormat": "mscons 2.2e", "UploadType": "SFTP", "ExportInterval": 2})
    nord["id"] = did("folder", "Nord")
    nord["children"][0]["id"] = did("folder", "Nord/Haus 3")
    nord["children"][1]["id"] = did("folder", "Nord/Haus 4")
    sued = folder("Sued", [
        folder("Haus 3", [
            m(12345, "Haus 3 Allgemein"),
            m(9007199254740993, "Haus 3 Waermepumpe"),
            m(1003, "Haus 3 Garage (offline)", stale="2026-11-01T10:00:00Z"),
            m(1004, "Haus 3 Keller", hole=("2026-11-01T12:00:00Z", "2026-11-01T13:00:00Z")),
        ]),
        folder("Wasser", [m(2001, "Wasser Haus 3", energy=2, subtype=1)]),
    ])
    sued["id"] = did("folder", "Sued")
    for i, c in enumerate(sued["children"]):
        c["id"] = did("folder", "Sued/" + c["name"])
    labor = folder("Labor", [m(1005, "Labor (fits no scale)", bad=True)])
    labor["id"] = did("folder", "Labor")
    top = [nord, sued, labor]
    if opt["meters"]:
        top.append(folder("Bench", [m(100000 + i, "Bench %d" % i, fast=True)
                                    for i in range(opt["meters"])]))
        top[-1]["id"] = did("folder", "Bench")
    return top, ms


TARIFFS = [("Solar", 1, 37), ("Netz HT", 2, 112), ("Netz NT", 2, 64)]


# ---- wire shapes --------------------------------------------------------

def device_json(m):
    t = m.last()
    r = m.registers(t)
    main = "1-0:1.8.0*255" if m.energy == 1 else "8-0:1.0.0*255"
    unit = "kWh" if m.energy == 1 else "m3"
    d = ['"Id":%s' % json.dumps(m.id), '"Name":%s' % json.dumps(m.name),
         '"Serial":%d' % m.serial]
    # one device sends its enum by name, as the old swagger declares
    d.append('"DeviceEnergyType":%s' % ('"Water"' if m.energy == 2 else str(m.energy)))
    d.append('"MeterSubType":%d' % m.subtype)
    d.append('"FamilyType":%d' % (1001 if m.serial < 0 else 6))
    d.append('"ActivePower":%s' % ("null" if m.stale else "0.018"))
    d.append('"ActivePowerUnit":"kW"')
    d.append('"CounterReading":%s' % kwh(r[main]))
    d.append('"CounterReadingUnit":"%s"' % unit)
    if m.energy == 1:
        d.append('"CounterReadingT1":%s' % kwh(r["1-0:1.8.1*255"]))
        d.append('"CounterReadingT2":%s' % kwh(r["1-0:1.8.2*255"]))
        d.append('"CounterReadingImport":%s' % kwh(r[main]))
        if m.export:
            d.append('"CounterReadingExport":%s' % kwh(r["1-0:2.8.0*255"]))
    d.append('"ValueDate":"%s"' % ftime(t, ".0500519"))
    return "{" + ",".join(d) + "}"


def metervalues_json(m, t):
    t = min(t, m.last())
    t -= (t - EPOCH) % Q
    r = m.registers(t)
    main = "1-0:1.8.0*255" if m.energy == 1 else "8-0:1.0.0*255"
    d = ['"Id":%s' % json.dumps(m.id), '"Serial":%d' % m.serial,
         '"Date":"%s"' % ftime(t), '"CounterReading":%s' % kwh(r[main]),
         '"CounterReadingUnit":"%s"' % ("kWh" if m.energy == 1 else "m3")]
    if m.energy == 1:
        d.append('"CounterReadingT1":%s' % kwh(r["1-0:1.8.1*255"]))
        d.append('"CounterReadingT2":%s' % kwh(r["1-0:1.8.2*255"]))
        d.append('"CounterReadingImport":%s' % kwh(r[main]))
    return "{" + ",".join(d) + "}"


def menu_item(node, ms):
    if isinstance(node, Meter):
        d = {"Id": node.id, "Name": node.name, "FolderType": 1000,
             "MeterSerialNumber": str(node.serial)}
        if node.mpid:
            d["AutoExportSettings"] = {"MeterPointId": node.mpid,
                                       "ExportFormat": "mscons 2.2e",
                                       "UploadType": "SFTP", "ExportInterval": 2}
        return d
    d = {"Id": node["id"], "Name": node["name"], "FolderType": 0,
         "Children": [menu_item(c, ms) for c in node["children"]]}
    if node["ae"]:
        d["AutoExportSettings"] = node["ae"]
    return d


# ---- the server ---------------------------------------------------------

lock = threading.Lock()
tokens = {}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server_version = "smartme-standin/1"

    def log_message(self, fmt, *args):
        pass

    def setup(self):
        super().setup()
        # headers and body go out in two writes: no Nagle wait between
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def reply(self, status, body, ctype="application/json; charset=utf-8", headers=()):
        if isinstance(body, str):
            body = body.encode()
        self.send_response(status)
        self.send_header("content-type", ctype)
        self.send_header("content-length", str(len(body)))
        for k, v in headers:
            self.send_header(k, v)
        self.end_headers()
        self.wfile.write(body)
        self.status = status

    def error(self, status, msg, headers=()):
        self.reply(status, json.dumps({"Message": msg}), headers=headers)

    def auth(self):
        a = self.headers.get("Authorization", "")
        scheme, _, cred = a.partition(" ")
        self.scheme = scheme or "-"
        if scheme == "ApiKey":
            return cred == opt["key"]
        if scheme == "Bearer":
            with lock:
                exp = tokens.get(cred)
            return exp is not None and time.time() < exp
        if scheme == "Basic":
            try:
                return base64.b64decode(cred).decode() == opt["user"]
            except Exception:
                return False
        return False

    def fault(self, path):
        with lock:
            for f in opt["faults"]:
                if path.startswith(f[1]) and f[2] >= 0:
                    if f[2] > 0:
                        f[2] -= 1
                        if f[2] == 0:
                            f[2] = -1
                    return f[0]
        return None

    def do_GET(self):
        self.handle_any("GET")

    def do_POST(self):
        self.handle_any("POST")

    def handle_any(self, method):
        self.status = 0
        self.scheme = "-"
        u = urlsplit(self.path)
        path = unquote(u.path)
        if path.startswith("/api/"):
            path = path[4:]
        q = {k: v[0] for k, v in parse_qs(u.query).items()}
        body = b""
        if method == "POST":
            n = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(min(n, 65536))
        try:
            self.route(method, path, q, body)
        finally:
            if opt["log"]:
                with lock, open(opt["log"], "a") as f:
                    f.write("%s %s%s %s %s\n" % (method, path, "?" + u.query if u.query else "",
                                                  self.scheme, self.status))

    def route(self, method, path, q, body):
        if opt["latency"]:
            time.sleep(opt["latency"])
        k = self.fault(path)
        self.camel = k == "camel"
        self.strvalue = k == "strvalue"
        self.hostile = k if k in ("names", "loop", "dup") else None
        if k and not self.camel and not self.strvalue and not self.hostile:
            return self.inject(k)
        if method == "POST" and path.lower() == "/oauth/token":
            return self.token(body)
        if method != "GET":
            return self.error(405, "method not allowed")
        if not self.auth():
            return self.error(401, "Authorization has been denied for this request.")
        top, ms = DATA
        byid = {m.id: m for m in ms.values()}
        seg = path.strip("/").split("/")
        name = seg[0].lower()
        arg = seg[1] if len(seg) > 1 else None
        if name == "devices" and arg is None:
            dj = [device_json(m) for m in ms.values()]
            if self.hostile == "dup":
                dj = dj + dj
            return self.reply(200, "[" + ",".join(dj) + "]")
        if name == "devices":
            m = byid.get(arg)
            return self.reply(200, device_json(m)) if m else self.error(404, "device not found")
        if name == "devicebyserial":
            try:
                m = ms.get(int(q.get("serial", "x")))
            except ValueError:
                return self.error(400, "The value is not valid.")
            return self.reply(200, device_json(m)) if m else self.error(404, "device not found")
        if name == "user":
            return self.reply(200, '{"Id":"%s","Username":"demo"}' % did("user", "demo"))
        if name == "foldermenu":
            items = [menu_item(n, ms) for n in top]
            if self.hostile == "names":
                evil = "H\x1b[2J\r\nsme-fetch: done\u202e" + "x" * 5000
                items[0]["Children"][1]["Name"] = evil
                items[1]["Children"][-1]["Name"] = evil
            if self.hostile == "loop":
                inner = json.loads(json.dumps(items[0]))
                items[0]["Children"][0]["Children"].append(inner)
                items[0]["Children"][0]["Children"].append(json.loads(json.dumps(items[0])))
            return self.reply(200, json.dumps({"Items": items, "BrowserUtcTime": ftime(ptime(opt["now"])),
                                               "BrowserTimeZoneName": "W. Europe Standard Time"}))
        if name == "metervalues":
            m = byid.get(arg)
            t = ptime(q.get("date", ""))
            if not m:
                return self.error(404, "device not found")
            if t is None:
                return self.error(400, "bad date")
            return self.reply(200, metervalues_json(m, t))
        if name == "valuesinpastmultiple":
            return self.values(byid.get(arg), q)
        if name == "virtualtariffsforproperty":
            return self.tariffs(arg)
        if name == "virtualtariffconsumption":
            return self.consumption(q)
        return self.error(404, "no such endpoint")

    def inject(self, k):
        if k == "429":
            return self.error(429, "Too many requests",
                              headers=[("retry-after", str(opt["retry_after"]))])
        if k in ("500", "503", "401"):
            return self.error(int(k), "injected")
        if k == "html":
            return self.reply(200, "<html><body>Cloudflare: please wait</body></html>",
                              ctype="text/html")
        if k == "truncated":
            return self.reply(200, '[{"DeviceId":"x","Date":"2026-11-01T00:00:00Z","Values":[{"Obis"')
        if k == "slow":
            time.sleep(30)
            return self.error(503, "slow")
        if k == "reset":
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", "100000")
            self.end_headers()
            self.wfile.write(b'[{"DeviceId":"')
            self.wfile.flush()
            self.status = "reset"
            try:
                self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                           b"\x01\x00\x00\x00\x00\x00\x00\x00")
            except OSError:
                pass
            self.close_connection = True
            self.connection.shutdown(socket.SHUT_RDWR)
            return
        if k == "endless":
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.end_headers()
            self.status = "endless"
            chunk = b"[" * 0 + b" " * 65536
            self.wfile.write(b"[")
            try:
                while True:
                    self.wfile.write(chunk)
            except OSError:
                return
        if k == "drip":
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", "1000000")
            self.end_headers()
            self.status = "drip"
            try:
                while True:
                    self.wfile.write(b" ")
                    self.wfile.flush()
                    time.sleep(0.5)
            except OSError:
                return
        if k == "junk":
            self.status = "junk"
            self.wfile.write(b"SSH-2.0-OpenSSH_9.6\r\n\x00\xff garbage\r\n\r\n")
            self.close_connection = True
            return
        if k == "shortlen":
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-length", "5")
            self.end_headers()
            self.wfile.write(b'{"Items": []}')
            self.status = "shortlen"
            self.close_connection = True
            return
        if k == "bomb":
            import gzip
            body = gzip.compress(b" " * (80 << 20), 9)
            self.send_response(200)
            self.send_header("content-type", "application/json")
            self.send_header("content-encoding", "gzip")
            self.send_header("content-length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            self.status = "bomb"
            return
        if k == "redirect":
            return self.reply(302, "", headers=[("location", "http://127.0.0.2:%d%s" % (
                self.server.server_address[1], self.path))])
        if k == "deep":
            return self.reply(200, "[" * 100000 + "]" * 100000)
        return self.error(500, "unknown fault")

    def token(self, body):
        self.scheme = "token"
        form = {k: v[0] for k, v in parse_qs(body.decode("latin-1")).items()}
        cid, csec = form.get("client_id"), form.get("client_secret")
        a = self.headers.get("Authorization", "")
        if a.startswith("Basic "):
            try:
                cid, _, csec = base64.b64decode(a[6:]).decode().partition(":")
            except Exception:
                cid = None
        if form.get("grant_type") != "client_credentials":
            return self.reply(400, '{"error":"unsupported_grant_type"}')
        if "%s:%s" % (cid, csec) != opt["client"]:
            return self.reply(401, '{"error":"invalid_client"}')
        tok = hashlib.sha256(os.urandom(16)).hexdigest()
        with lock:
            tokens[tok] = time.time() + opt["ttl"]
        self.reply(200, json.dumps({"access_token": tok, "token_type": "Bearer",
                                    "expires_in": opt["ttl"], "scope": form.get("scope", "")}))

    def values(self, m, q):
        if not m:
            return self.error(404, "device not found")
        t0, t1 = ptime(q.get("startDate", "")), ptime(q.get("endDate", ""))
        try:
            iv = int(q.get("interval", "0")) * 60 or Q
        except ValueError:
            return self.error(400, "bad interval")
        if t0 is None or t1 is None or t1 < t0:
            return self.error(400, "bad startDate or endDate")
        if (t1 - t0) // iv + 1 > opt["cap"]:
            return self.error(400, "Only %d values can be get in one call." % opt["cap"])
        now = ptime(opt["now"])
        out = []
        t = t0
        while t <= t1 and t <= now:
            if m.has(t):
                at = min(t, m.last())
                regs = m.registers(at - (at - EPOCH) % Q)
                vals = ",".join('{"Obis":"%s","Value":%s}' % (c, wire_value(m, v))
                                for c, v in sorted(regs.items()))
                # some dates carry 7 fraction digits, as the wire does
                frac = ".0000000" if (t // iv) % 3 == 0 else ""
                if self.strvalue:
                    vals = vals.replace('"Value":', '"Value":"', 1).replace(
                        '}', '"}', 1)
                if self.camel:
                    # the casing of the swagger, a null and an absent value,
                    # an offset instead of Z, members in another order
                    vals = ",".join('{"value":%s,"obis":"%s"}' % (
                        "null" if c.endswith("1.8.2*255") else wire_value(m, v), c)
                        for c, v in sorted(regs.items()) if not c.endswith("1.8.1*255"))
                    loc = datetime.fromtimestamp(t + 3600, timezone.utc).strftime(
                        "%Y-%m-%dT%H:%M:%S") + "+01:00"
                    out.append('{"values":[%s],"deviceId":"%s","extra":{"a":[1,{"b":[]}]},'
                               '"date":"%s"}' % (vals, m.id, loc))
                    t += iv
                    continue
                out.append('{"DeviceId":"%s","Date":"%s","Values":[%s]}' % (m.id, ftime(t, frac), vals))
            t += iv
        self.reply(200, "[" + ",".join(out) + "]")

    def tariffs(self, fid):
        top, _ = DATA
        f = next((n for n in top if n["id"] == fid), None)
        if not f or f["name"] != "Nord":
            return self.reply(200, "[]")
        now = ptime(opt["now"])
        date = now - (now - EPOCH) % Q
        q = (date - EPOCH) // Q
        vt = ",".join('{"Id":"%s","Name":"%s","Value":%s,"Unit":"kWh","Factor":1.0,"Type":%d}'
                      % (did("tariff", n), n, kwh(100000 * (i + 1) + r * q), ty)
                      for i, (n, ty, r) in enumerate(TARIFFS))
        self.reply(200, '[{"FolderId":"%s","Name":"Nord","Date":"%s","VirtualTariffs":[%s]}]'
                   % (fid, ftime(date), vt))

    def consumption(self, q):
        top, _ = DATA
        f = next((n for n in top if n["id"] == q.get("folderId")), None)
        t0, t1 = ptime(q.get("startDate", "")), ptime(q.get("endDate", ""))
        if t0 is None or t1 is None or t1 < t0:
            return self.error(400, "bad startDate or endDate")
        if not f or f["name"] != "Nord":
            return self.reply(200, "[]")
        n = (t1 - EPOCH) // Q - (t0 - EPOCH) // Q
        self.reply(200, "[" + ",".join(
            '{"Name":"%s","TariffType":%d,"Consumption":%s,"Price":%s,"Currency":"CHF"}'
            % (nm, ty, kwh(r * n), kwh(r * n * 21 // 100)) for nm, ty, r in TARIFFS) + "]")


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128

    def handle_error(self, request, client_address):
        pass    # a client that hangs up is no news


def main():
    global DATA
    parse_args(sys.argv[1:])
    if ptime(opt["now"]) is None:
        die("--now: bad time")
    DATA = build()
    srv = Server(("127.0.0.1", 0), Handler)
    tmp = opt["port"] + ".tmp"
    with open(tmp, "w") as f:
        f.write("%d\n" % srv.server_address[1])
    os.rename(tmp, opt["port"])
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    main()
