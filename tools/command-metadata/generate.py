#!/usr/bin/env python3
"""Regenerates src/TieredKv.Server/Dispatch/Metadata/commands.json from a real redis-server.

Starts `redis-server` (the one on PATH, or --redis-server PATH) on a free loopback port, reads
COMMAND INFO and COMMAND DOCS for every command over RESP3, writes them as compact JSON (one top-level
command per line, subcommands under their container, sorted by name: Redis's own order is its hash
table's and changes from run to run), then checks the file: every command's COMMAND INFO and COMMAND DOCS
re-encoded from the JSON, by the same rules the server's writer follows, must equal redis-server's reply
bytes in RESP2 and in RESP3. Usage:

    python3 tools/command-metadata/generate.py [--redis-server PATH] [--out FILE]
"""
import argparse
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
DEFAULT_OUT = os.path.join(HERE, "..", "..", "src", "TieredKv.Server", "Dispatch", "Metadata", "commands.json")


class Resp:
    """A minimal RESP2/RESP3 client: replies as (type, value) trees, and the exact bytes of the last one."""

    def __init__(self, port):
        self.sock = socket.create_connection(("127.0.0.1", port))
        self.file = self.sock.makefile("rb")
        self.raw = bytearray()

    def call(self, *args):
        out = b"*%d\r\n" % len(args)
        for a in args:
            a = a.encode()
            out += b"$%d\r\n%s\r\n" % (len(a), a)
        self.sock.sendall(out)
        self.raw = bytearray()
        return self._read()

    def _line(self):
        line = self.file.readline()
        self.raw += line
        return line[:-2]

    def _read(self):
        line = self._line()
        kind, rest = chr(line[0]), line[1:]
        if kind in "+-":
            return (kind, rest.decode())
        if kind == ":":
            return (kind, int(rest))
        if kind == "$":
            n = int(rest)
            if n < 0:
                return ("null", None)
            data = self.file.read(n + 2)
            self.raw += data
            return (kind, data[:-2].decode())
        if kind == "_":
            return ("null", None)
        if kind in "*~":
            return (kind, [self._read() for _ in range(int(rest))])
        if kind == "%":
            return (kind, [(self._read(), self._read()) for _ in range(int(rest))])
        raise ValueError("unexpected RESP line %r" % line)


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def expect(cond, what):
    if not cond:
        raise SystemExit("unexpected reply shape: " + what)


def plain(node):
    """A map, array or set of scalars as JSON: maps keep their key order; bulk and status strings become strings."""
    kind, value = node
    if kind == "%":
        return {k[1]: plain(v) for k, v in value}
    if kind in "*~":
        return [plain(v) for v in value]
    return value


def from_info(node):
    kind, v = node
    expect(kind == "*" and len(v) == 10, "COMMAND INFO entry")
    subs = [from_info(s) for s in v[9][1]]
    return {
        "name": v[0][1],
        "arity": v[1][1],
        "flags": plain(v[2]),
        "first_key": v[3][1],
        "last_key": v[4][1],
        "step": v[5][1],
        "acl_categories": plain(v[6]),
        "tips": plain(v[7]),
        "key_specs": plain(v[8]),
        "subcommands": sorted(subs, key=lambda s: s["name"]),
    }


def from_docs(node):
    docs = plain(node)
    docs.pop("subcommands", None)  # each subcommand's docs go with its own entry
    return docs


# ---- The encoder: the same rules as CommandMetadataWriter.cs. ----

class Out:
    def __init__(self, resp3):
        self.resp3 = resp3
        self.b = bytearray()

    def bulk(self, s):
        s = s.encode()
        self.b += b"$%d\r\n%s\r\n" % (len(s), s)

    def status(self, s):
        self.b += b"+%s\r\n" % s.encode()

    def integer(self, n):
        self.b += b":%d\r\n" % n

    def array(self, n):
        self.b += b"*%d\r\n" % n

    def set(self, n):
        self.b += (b"~%d\r\n" if self.resp3 else b"*%d\r\n") % n

    def map(self, pairs):
        self.b += (b"%%%d\r\n" % pairs) if self.resp3 else (b"*%d\r\n" % (2 * pairs))


def write_status_set(o, items):
    o.set(len(items))
    for s in items:
        o.status(s)


def write_scalar_map(o, m):
    o.map(len(m))
    for k, v in m.items():
        o.bulk(k)
        if isinstance(v, int):
            o.integer(v)
        else:
            o.bulk(v)


def write_key_spec(o, spec):
    o.map(len(spec))
    for k, v in spec.items():
        o.bulk(k)
        if k == "notes":
            o.bulk(v)
        elif k == "flags":
            write_status_set(o, v)
        else:  # begin_search, find_keys: {type, spec}
            o.map(2)
            o.bulk("type")
            o.bulk(v["type"])
            o.bulk("spec")
            write_scalar_map(o, v["spec"])


def write_info(o, cmd):
    o.array(10)
    o.bulk(cmd["name"])
    o.integer(cmd["arity"])
    write_status_set(o, cmd["flags"])
    o.integer(cmd["first_key"])
    o.integer(cmd["last_key"])
    o.integer(cmd["step"])
    write_status_set(o, cmd["acl_categories"])
    o.set(len(cmd["tips"]))
    for t in cmd["tips"]:
        o.bulk(t)
    o.set(len(cmd["key_specs"]))
    for spec in cmd["key_specs"]:
        write_key_spec(o, spec)
    # Redis: an empty set when there are none, else an array.
    if cmd["subcommands"]:
        o.array(len(cmd["subcommands"]))
    else:
        o.set(0)
    for sub in cmd["subcommands"]:
        write_info(o, sub)


def write_argument(o, arg):
    o.map(len(arg))
    for k, v in arg.items():
        o.bulk(k)
        if k == "key_spec_index":
            o.integer(v)
        elif k == "flags":
            write_status_set(o, v)
        elif k == "arguments":
            o.array(len(v))
            for a in v:
                write_argument(o, a)
        else:
            o.bulk(v)


def write_docs(o, cmd):
    docs = cmd["docs"]
    o.map(len(docs) + (1 if cmd["subcommands"] else 0))
    for k, v in docs.items():
        o.bulk(k)
        if k == "doc_flags":
            write_status_set(o, v)
        elif k == "history":
            o.set(len(v))
            for version, text in v:
                o.array(2)
                o.bulk(version)
                o.bulk(text)
        elif k == "arguments":
            o.array(len(v))
            for a in v:
                write_argument(o, a)
        else:
            o.bulk(v)
    if cmd["subcommands"]:
        o.bulk("subcommands")
        o.map(len(cmd["subcommands"]))
        for sub in cmd["subcommands"]:
            o.bulk(sub["name"])
            write_docs(o, sub)


def reorder_like(cmd, names):
    """The command with its subcommands in the order Redis just replied with (its hash table's)."""
    by_name = {s["name"]: s for s in cmd["subcommands"]}
    return dict(cmd, subcommands=[by_name[n] for n in names])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--redis-server", default=shutil.which("redis-server") or "redis-server")
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()

    port = free_port()
    workdir = tempfile.mkdtemp(prefix="command-metadata-")
    server = subprocess.Popen([args.redis_server, "--port", str(port), "--bind", "127.0.0.1", "--save", "",
                               "--appendonly", "no", "--dir", workdir],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(100):
            try:
                conn = Resp(port)
                break
            except OSError:
                time.sleep(0.1)
        else:
            raise SystemExit("redis-server did not start")
        hello = plain(conn.call("HELLO", "3"))
        version = hello["version"]

        info = {}
        for node in conn.call("COMMAND", "INFO")[1]:
            cmd = from_info(node)
            info[cmd["name"]] = cmd
        docs = {k[1]: v for k, v in conn.call("COMMAND", "DOCS")[1]}

        def with_docs(cmd, doc_node):
            cmd["docs"] = from_docs(doc_node)
            fields = {k[1]: v for k, v in doc_node[1]}
            sub_docs = {k[1]: v for k, v in fields.get("subcommands", ("%", []))[1]}
            for sub in cmd["subcommands"]:
                with_docs(sub, sub_docs[sub["name"]])
            return cmd

        commands = [with_docs(info[name], docs[name]) for name in sorted(info)]

        # Check: re-encoded, every command's replies are Redis's bytes, in both protocols.
        checked = 0
        for resp3 in (False, True):
            conn.call("HELLO", "3" if resp3 else "2")
            for cmd in commands:
                reply = conn.call("COMMAND", "INFO", cmd["name"])
                expected = bytes(conn.raw)
                order = [s[1][0][1] for s in reply[1][0][1][9][1]]
                o = Out(resp3)
                o.array(1)
                write_info(o, reorder_like(cmd, order))
                if bytes(o.b) != expected:
                    raise SystemExit("COMMAND INFO %s: re-encoding differs (RESP%d)\n%r\n%r" % (cmd["name"], 3 if resp3 else 2, expected[:400], bytes(o.b)[:400]))
                reply = conn.call("COMMAND", "DOCS", cmd["name"])
                expected = bytes(conn.raw)
                # RESP2 flattens maps into arrays of key, value, key, value...
                pairs = (lambda m: m[1]) if resp3 else (lambda m: list(zip(m[1][0::2], m[1][1::2])))
                doc_fields = pairs(pairs(reply)[0][1])
                subs = {k[1]: v for k, v in doc_fields}.get("subcommands")
                doc_order = [k[1] for k, _ in pairs(subs)] if subs is not None else []
                o = Out(resp3)
                o.map(1)
                o.bulk(cmd["name"])
                write_docs(o, reorder_like(cmd, doc_order) if subs is not None else cmd)
                if bytes(o.b) != expected:
                    raise SystemExit("COMMAND DOCS %s: re-encoding differs (RESP%d)\n%r\n%r" % (cmd["name"], 3 if resp3 else 2, expected[:400], bytes(o.b)[:400]))
                checked += 2

        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w", encoding="utf-8", newline="\n") as f:
            f.write('{"redis_version":%s,"commands":[\n' % json.dumps(version))
            f.write(",\n".join(json.dumps(c, ensure_ascii=False, separators=(",", ":")) for c in commands))
            f.write("\n]}\n")
        print("%s: %d commands from redis-server %s; %d replies re-encoded byte-identical" % (os.path.relpath(args.out), len(commands), version, checked))
    finally:
        server.terminate()
        server.wait()
        shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
