#!/usr/bin/env python3
"""A small instance for the process cloud, used by tests/chaos, tests/partition and tests/rolling.

Listens on REACTOR_INSTANCE_IP:REACTOR_PORT; every connection is greeted with one line
`hello <instance id> <endpoint>` and then gets each line it sends echoed back. Registers itself
from its own address (POST /v1.1/register), trying REACTOR_API and then every URL of
CHAOS_APIS (separated by ";") until one answers 200 (for up to 120 s), and unregisters on
SIGTERM. Standard library only.
"""

import os
import signal
import socket
import socketserver
import sys
import threading
import time
import urllib.request

ip = os.environ["REACTOR_INSTANCE_IP"]
port = int(os.environ.get("REACTOR_PORT") or "9000")
instance = os.environ.get("REACTOR_INSTANCE_ID", "?")
endpoint = os.environ.get("REACTOR_ENDPOINT", "?")
apis = [os.environ.get("REACTOR_API", "")] + os.environ.get("CHAOS_APIS", "").split(";")
apis = [a.rstrip("/") for a in apis if a]


class SourceHandler(urllib.request.HTTPHandler):
    """Plain HTTP from the instance's own address, as `curl --interface` does."""

    def http_open(self, req):
        return self.do_open(lambda host, **kw: _Connection(host, **kw), req)


class _Connection(urllib.request.http.client.HTTPConnection):
    def __init__(self, host, **kw):
        kw["source_address"] = (ip, 0)
        super().__init__(host, **kw)


opener = urllib.request.build_opener(SourceHandler)


def post(path, timeout=3.0):
    for api in apis:
        try:
            with opener.open(urllib.request.Request(api + path, data=b"", method="POST"), timeout=timeout) as r:
                if r.status == 200:
                    return True
        except Exception:
            pass
    return False


class Handler(socketserver.StreamRequestHandler):
    def handle(self):
        try:
            self.wfile.write(f"hello {instance} {endpoint}\n".encode())
            for line in self.rfile:
                self.wfile.write(line)
        except OSError:
            pass


class Server(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True


server = Server((ip, port), Handler)


def stop(*_):
    post("/v1.1/unregister", timeout=1.0)
    os._exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)


def register():
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if post("/v1.1/register"):
            print(f"registered {ip}:{port}", flush=True)
            return
        time.sleep(1)
    print("could not register", file=sys.stderr, flush=True)


threading.Thread(target=register, daemon=True).start()
server.serve_forever()
