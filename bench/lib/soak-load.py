#!/usr/bin/env python3
"""The load of bench/soak, until SIGTERM: API reads and writes, tcp connections through the
built-in balancer of the steady endpoints, and endpoint churn (create, start, update, stop,
delete, over and over). Writes its counters to DIR/load.json every second.

    soak-load.py CONFIG.json

CONFIG: {"api": URL, "dir": DIR, "steady": [[name, balancer_port], …], "churn_port": PORT,
         "instance_port": PORT, "command": instance command, "addresses": CIDR,
         "api_rate": requests/s, "tcp_rate": connections/s per steady endpoint,
         "step_timeout": s, "settle": s}

Pausing: while DIR/pause exists the churn stops at the end of a cycle (no churn endpoint left),
waits `settle` seconds for the managers to drop it, writes DIR/paused and waits until DIR/pause
is gone (at most 300 s), so that bench/soak samples the processes in the same phase each time.
"""
import json
import os
import signal
import socket
import sys
import threading
import time
import urllib.error
import urllib.request

config = json.load(open(sys.argv[1]))
api = config["api"]
work = config["dir"]
lock = threading.Lock()
counts = {"api_read_ok": 0, "api_read_failed": 0, "api_write_ok": 0, "api_write_failed": 0,
          "tcp_ok": 0, "tcp_failed": 0, "churn_tcp_ok": 0, "churn_tcp_failed": 0,
          "cycles_ok": 0, "cycles_failed": 0}
errors = []  # the last few failures, "time kind: message"


def count(key, error=None):
    with lock:
        counts[key] += 1
        if error is not None:
            errors.append(f"{time.strftime('%H:%M:%S')} {key}: {error}")
            del errors[:-10]


def request(method, path, body=None, timeout=10):
    """Returns (status, bytes); status 0 when no answer came."""
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(api + path, data=data, method=method,
                                 headers={"Content-Type": "application/json", "Accept": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as answer:
            return answer.status, answer.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()
    except (OSError, ValueError) as error:
        return 0, str(error).encode()


def paced(rate, work_once):
    """Calls work_once() `rate` times a second, forever (late calls are not made up)."""
    interval = 1.0 / rate
    next_at = time.monotonic()
    while True:
        work_once()
        next_at = max(next_at + interval, time.monotonic() - interval)
        time.sleep(max(0.0, next_at - time.monotonic()))


def tcp_get(port):
    """One HTTP GET through a balancer on a new connection; returns None or the problem."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=5) as s:
            s.settimeout(5)
            s.sendall(b"GET / HTTP/1.0\r\nHost: soak\r\n\r\n")
            answer = b""
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                answer += chunk
        return None if answer.endswith(b"ok\n") else f"answer {answer[:60]!r}"
    except OSError as error:
        return str(error)


def tcp_load(port):
    def once():
        problem = tcp_get(port)
        count("tcp_ok") if problem is None else count("tcp_failed", f"port {port}: {problem}")
    paced(config["tcp_rate"], once)


def api_load():
    name = config["steady"][0][0]
    n = [0]
    reads = [f"/v1.1/endpoints", f"/v1.1/endpoints/{name}", f"/v1.1/endpoints/{name}/state",
             f"/v1.1/endpoints/{name}/instances?states=all", f"/v1.1/endpoints/{name}/ips",
             f"/v1.1/endpoints/{name}/metrics", f"/v1.1/endpoints/{name}/metadata",
             f"/v1.1/endpoints/{name}/log", f"/v1.1/endpoints/{name}/decision", "/metrics"]

    def once():
        n[0] += 1
        i = n[0]
        if i % 3 == 0:  # a write: metadata (8 keys, new values), custom metrics, the endpoint log
            kind = (i // 3) % 3
            if kind == 0:
                status, body = request("POST", f"/v1.1/endpoints/{name}/metadata/key{i % 8}", {"n": i})
            elif kind == 1:
                status, body = request("POST", f"/v1.1/endpoints/{name}/metrics", {"soak": [1, i % 100]})
            else:
                status, body = request("POST", f"/v1.1/endpoints/{name}/log", f"soak write {i}")
            key = "api_write"
        else:
            path = reads[i % len(reads)]
            status, body = request("GET", path)
            key = "api_read"
        if status == 200:
            count(key + "_ok")
        else:
            count(key + "_failed", f"{status} {body[:120]!r}")
    paced(config["api_rate"], once)


def wait_until(check, what):
    deadline = time.monotonic() + config["step_timeout"]
    while time.monotonic() < deadline:
        if check():
            return
        time.sleep(0.5)
    raise RuntimeError(f"{what} not within {config['step_timeout']} s")


def json_of(path):
    status, body = request("GET", path)
    if status != 200:
        raise RuntimeError(f"GET {path}: {status} {body[:120]!r}")
    return json.loads(body)


def churn_cycle(name):
    port = config["churn_port"]

    def configuration(instances):
        return {"endpoint": {"url": f"tcp://127.0.0.1:{port}", "loadbalancer": "tcp", "cloud": "process",
                             "port": str(config["instance_port"]), "decommissioned_timeout": "1"},
                "scaling": {"min_instances": str(instances), "max_instances": str(instances)},
                "cloud:process": {"command": config["command"], "addresses": config["addresses"]}}

    def must(method, path, body=None):
        status, answer = request(method, path, body)
        if status != 200:
            raise RuntimeError(f"{method} {path}: {status} {answer[:120]!r}")

    base = f"/v1.1/endpoints/{name}"
    must("PUT", base, configuration(1))
    must("POST", base + "/state", {"action": "start"})
    wait_until(lambda: len(json_of(base + "/ips")) == 1, "1 confirmed IP")
    for _ in range(3):
        problem = tcp_get(port)
        count("churn_tcp_ok") if problem is None else count("churn_tcp_failed", f"{name}: {problem}")
    must("POST", base, configuration(2))  # the update: scale out
    wait_until(lambda: len(json_of(base + "/ips")) == 2, "2 confirmed IPs")
    must("POST", base + "/state", {"action": "stop"})
    wait_until(lambda: not any(json_of(base + "/instances?states=all").values()), "no instances after stop")
    must("DELETE", base)


def churn():
    cycle = 0
    while True:
        if os.path.exists(os.path.join(work, "pause")):
            time.sleep(config["settle"])
            open(os.path.join(work, "paused"), "w").close()
            deadline = time.monotonic() + 300
            while os.path.exists(os.path.join(work, "pause")) and time.monotonic() < deadline:
                time.sleep(0.2)
            try:
                os.remove(os.path.join(work, "paused"))
            except FileNotFoundError:
                pass
        cycle += 1
        name = f"churn-{cycle}"
        try:
            churn_cycle(name)
            count("cycles_ok")
        except Exception as error:  # noqa: BLE001 - any failure counts, the churn goes on
            count("cycles_failed", f"{name}: {error}")
            # Leave nothing running behind: stop, wait for the instances to go, delete.
            request("POST", f"/v1.1/endpoints/{name}/state", {"action": "stop"})
            try:
                wait_until(lambda: not any(json_of(f"/v1.1/endpoints/{name}/instances?states=all").values()),
                           "no instances after stop")
            except Exception:  # noqa: BLE001
                pass
            request("DELETE", f"/v1.1/endpoints/{name}")


def report():
    path = os.path.join(work, "load.json")
    while True:
        with lock:
            text = json.dumps({"counts": counts, "errors": errors})
        with open(path + ".tmp", "w") as f:
            f.write(text)
        os.replace(path + ".tmp", path)
        time.sleep(1)


signal.signal(signal.SIGTERM, lambda *_: os._exit(0))
threads = [threading.Thread(target=api_load, daemon=True), threading.Thread(target=churn, daemon=True),
           threading.Thread(target=report, daemon=True)]
threads += [threading.Thread(target=tcp_load, args=(port,), daemon=True) for _, port in config["steady"]]
for thread in threads:
    thread.start()
while True:
    time.sleep(3600)
