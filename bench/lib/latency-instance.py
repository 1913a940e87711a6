#!/usr/bin/env python3
"""An instance for bench/register-latency (run by the process cloud).

Serves HTTP on REACTOR_INSTANCE_IP:REACTOR_PORT, then registers with Reactor from that address
and writes two times (seconds since the epoch) to $LATENCY_DIR/<instance id>: just before the
registration request, and when the first request reached it. Unregisters on SIGTERM.
LATENCY_DIR comes from the endpoint's `[cloud:process] environment`: an instance's environment
holds nothing of the manager's.
"""
import http.server
import os
import signal
import socket
import sys
import threading
import time
import urllib.request

ip = os.environ["REACTOR_INSTANCE_IP"]
port = int(os.environ["REACTOR_PORT"])
api = os.environ["REACTOR_API"]
out = os.path.join(os.environ["LATENCY_DIR"], os.environ["REACTOR_INSTANCE_ID"])
first = {}


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        if "at" not in first:
            first["at"] = time.time()
        body = b"ok\n"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


def call(path):
    """POSTs to the API from this instance's own address (the API confirms callers by IP)."""
    host, _, api_port = api.split("//", 1)[1].partition(":")
    connection = socket.create_connection((host, int(api_port or 80)), timeout=5, source_address=(ip, 0))
    connection.sendall(f"POST {path} HTTP/1.1\r\nHost: {host}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n".encode())
    connection.recv(4096)
    connection.close()


server = http.server.ThreadingHTTPServer((ip, port), Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()


def stop(*_):
    try:
        call("/v1.1/unregister")
    finally:
        os._exit(0)


signal.signal(signal.SIGTERM, stop)
registered = time.time()
call("/v1.1/register")
while "at" not in first:
    time.sleep(0.005)
with open(out + ".tmp", "w") as f:
    f.write(f"{registered} {first['at']}\n")
os.rename(out + ".tmp", out)
while True:
    time.sleep(3600)
