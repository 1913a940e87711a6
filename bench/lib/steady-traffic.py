#!/usr/bin/env python3
"""Steady traffic for bench/register-latency: RATE HTTP GETs per second to 127.0.0.1:PORT, each
on a new connection (so a round-robin balancer spreads them over its backends), from a few
threads, until killed. Lighter than wrk flat out, which would starve a small machine of the CPU
the instances and the manager need."""
import socket
import sys
import threading
import time

port, rate = int(sys.argv[1]), float(sys.argv[2])
threads = 4
interval = threads / rate


def client():
    next_at = time.monotonic()
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
                s.sendall(b"GET / HTTP/1.0\r\nHost: bench\r\n\r\n")
                while s.recv(4096):
                    pass
        except OSError:
            pass
        next_at += interval
        time.sleep(max(0.0, next_at - time.monotonic()))


for _ in range(threads):
    threading.Thread(target=client, daemon=True).start()
while True:
    time.sleep(3600)
