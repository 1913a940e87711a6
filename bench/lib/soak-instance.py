#!/usr/bin/env python3
"""An instance for bench/soak (run by the process cloud).

Serves HTTP on REACTOR_INSTANCE_IP:REACTOR_PORT, answering every GET with "ok", registers with
Reactor from that address, and unregisters on SIGTERM (the process cloud's stop).
"""
import http.server
import os
import signal
import socket
import threading
import time

ip = os.environ["REACTOR_INSTANCE_IP"]
port = int(os.environ["REACTOR_PORT"])
api = os.environ["REACTOR_API"]


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
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


def stop(*_):
    try:
        call("/v1.1/unregister")
    finally:
        os._exit(0)


server = http.server.ThreadingHTTPServer((ip, port), Handler)
server.daemon_threads = True
threading.Thread(target=server.serve_forever, daemon=True).start()
signal.signal(signal.SIGTERM, stop)
# Registration is retried a few times: the API may be busy on a small machine.
for attempt in range(5):
    try:
        call("/v1.1/register")
        break
    except OSError:
        time.sleep(1)
while True:
    time.sleep(3600)
