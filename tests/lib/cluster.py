"""Reactor across network namespaces, for tests/chaos, tests/partition and tests/rolling.

Every host is a network namespace on one bridge (10.N.0.0/24, N from the process id):

    zk1..zkK   10.N.0.1..   ZooKeeper servers (an ensemble when K > 1; 4lw on, srvr finds the leader)
    api1..     10.N.0.11..  `reactor api` nodes (--allow-open, no key)
    m1..       10.N.0.21..  `reactor manager`s, each with --fence-audit and a short --interval
    client     10.N.0.30    the test itself (it enters this namespace) and its load

Manager host m<i> owns the block 10.N.(100+i).0/24 for its process instances (its manager
configuration's `[cloud:process] addresses`): a `local` route makes every address of the block
its own, and every other host routes the block to it, so any front door reaches any instance.

Everything is removed on every exit path (processes of every namespace killed, namespaces
deleted, work directory removed unless KEEP_WORK=1). Standard library only.
"""

import atexit
import ctypes
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
INSTANCE = os.path.join(HERE, "instance.py")
CLONE_NEWNET = 0x40000000
ZK_CLASSPATH = "/usr/share/java/zookeeper.jar:/usr/share/java/slf4j-simple.jar"


def log(message):
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def reactor_binary():
    path = os.environ.get("REACTOR_BINARY") or os.environ.get("REACTOR") or os.path.join(REPO, ".build/debug/reactor")
    path = os.path.realpath(path)
    if not os.access(path, os.X_OK):
        sys.exit(f"no reactor binary at {path} (set REACTOR_BINARY)")
    return path


def need_root(name):
    if os.geteuid() != 0:
        sys.exit(f"{name}: needs root to create network namespaces (run as root, as CI does)")


class Results:
    """ok:/FAIL: lines and the closing `N passed, M failed`."""

    def __init__(self):
        self.passed = 0
        self.failed = 0

    def check(self, condition, message):
        if condition:
            self.passed += 1
            print(f"ok: {message}", flush=True)
        else:
            self.failed += 1
            print(f"FAIL: {message}", flush=True)
        return condition

    def finish(self):
        print(f"{self.passed} passed, {self.failed} failed", flush=True)
        return 0 if self.failed == 0 else 1


class HTTP:
    """JSON over HTTP to a list of API nodes."""

    @staticmethod
    def call(base, method, path, body=None, timeout=5.0):
        """Returns (status, parsed body or text); status 0 with the error when nothing answered.
        The error says whether the request surely was not applied (`refused`)."""
        data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
        request = urllib.request.Request(base + path, data=data, method=method)
        if data is not None:
            request.add_header("Content-Type", "application/json")
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                text = response.read().decode()
                status = response.status
        except urllib.error.HTTPError as error:
            text = error.read().decode(errors="replace")
            status = error.code
        except (ConnectionRefusedError, urllib.error.URLError) as error:
            reason = getattr(error, "reason", error)
            if isinstance(reason, ConnectionRefusedError) or isinstance(error, ConnectionRefusedError):
                return 0, "refused"
            return 0, f"error: {reason}"
        except Exception as error:  # timeouts, resets: maybe applied
            return 0, f"error: {error}"
        try:
            return status, json.loads(text)
        except ValueError:
            return status, text


def _libc():
    return ctypes.CDLL("libc.so.6", use_errno=True)


class Cluster:
    def __init__(self, name, zookeepers=3, apis=2, managers=3, interval=1.0, session_timeout=6.0):
        self.name = name
        self.reactor = reactor_binary()
        self.tag = f"rx{os.getpid()}"
        self.net = os.getpid() % 200 + 20
        self.prefix = f"10.{self.net}.0"
        self.work = tempfile.mkdtemp(prefix=f"reactor-{name}.")
        self.interval = interval
        self.session_timeout = session_timeout
        self.hosts = {}
        for i in range(1, zookeepers + 1):
            self.hosts[f"zk{i}"] = f"{self.prefix}.{i}"
        for i in range(1, apis + 1):
            self.hosts[f"api{i}"] = f"{self.prefix}.{10 + i}"
        for i in range(1, managers + 1):
            self.hosts[f"m{i}"] = f"{self.prefix}.{20 + i}"
        self.hosts["client"] = f"{self.prefix}.30"
        self.zookeepers = [h for h in self.hosts if h.startswith("zk")]
        self.apis = [h for h in self.hosts if h.startswith("api")]
        self.managers = [h for h in self.hosts if h.startswith("m")]
        self.procs = {}  # role name -> Popen
        self.cut = set()  # managers whose routes to ZooKeeper are blackholed
        self.lock = threading.Lock()
        self.root_ns = os.open("/proc/self/ns/net", os.O_RDONLY)
        self.ns_inodes = {}
        self.cleaned = False
        atexit.register(self.cleanup)
        for sig in (signal.SIGINT, signal.SIGTERM, signal.SIGHUP):
            signal.signal(sig, lambda *_: sys.exit(130))

    # --- names ---------------------------------------------------------------------------------
    def ns(self, host):
        return f"{self.tag}-{host}"

    def pool(self, manager):
        return f"10.{self.net}.{100 + int(manager[1:])}.0/24"

    @property
    def zk_connect(self):
        return ",".join(f"{self.hosts[z]}:2181" for z in self.zookeepers)

    def api_url(self, api):
        return f"http://{self.hosts[api]}:8080"

    @property
    def api_urls(self):
        return [self.api_url(a) for a in self.apis]

    def audit_path(self, manager):
        return os.path.join(self.work, f"{manager}.audit")

    def logfile(self, role):
        return os.path.join(self.work, f"{role}.log")

    # --- hosts ---------------------------------------------------------------------------------
    def ip(self, *args, check=True):
        return subprocess.run(["ip", *args], check=check, capture_output=True, text=True)

    def create_hosts(self):
        self.ip("netns", "add", self.ns("net"))
        self.ip("-n", self.ns("net"), "link", "add", "br0", "type", "bridge")
        self.ip("-n", self.ns("net"), "link", "set", "br0", "up")
        for host, address in self.hosts.items():
            self.ip("netns", "add", self.ns(host))
            self.ip("-n", self.ns("net"), "link", "add", f"h-{host}", "type", "veth", "peer", "name", "eth0",
                    "netns", self.ns(host))
            self.ip("-n", self.ns("net"), "link", "set", f"h-{host}", "master", "br0", "up")
            self.ip("-n", self.ns(host), "addr", "add", f"{address}/24", "dev", "eth0")
            self.ip("-n", self.ns(host), "link", "set", "eth0", "up")
            self.ip("-n", self.ns(host), "link", "set", "lo", "up")
            self.ns_inodes[os.stat(f"/var/run/netns/{self.ns(host)}").st_ino] = host
        for manager in self.managers:
            for host in self.hosts:
                if host == manager:
                    self.ip("-n", self.ns(host), "route", "add", "local", self.pool(manager), "dev", "lo")
                else:
                    self.ip("-n", self.ns(host), "route", "add", self.pool(manager), "via", self.hosts[manager])

    def enter_client(self):
        """Moves this process (its main thread, before any other thread starts) into `client`."""
        fd = os.open(f"/var/run/netns/{self.ns('client')}", os.O_RDONLY)
        if _libc().setns(fd, CLONE_NEWNET) != 0:
            sys.exit(f"setns into {self.ns('client')} failed: errno {ctypes.get_errno()}")
        os.close(fd)

    def host_of_pid(self, pid):
        try:
            return self.ns_inodes.get(os.stat(f"/proc/{pid}/ns/net").st_ino, "?")
        except OSError:
            return "?"

    # --- processes -----------------------------------------------------------------------------
    def spawn(self, role, host, argv, env=None):
        out = open(self.logfile(role), "ab")
        out.write(f"=== {time.strftime('%H:%M:%S')} start {' '.join(argv)}\n".encode())
        out.flush()
        environment = dict(os.environ if env is None else env)
        process = subprocess.Popen(["ip", "netns", "exec", self.ns(host), *argv], stdout=out, stderr=subprocess.STDOUT,
                                   stdin=subprocess.DEVNULL, start_new_session=True, env=environment)
        out.close()
        with self.lock:
            self.procs[role] = process
        return process

    def pid(self, role):
        process = self.procs.get(role)
        return process.pid if process and process.poll() is None else None

    def signal(self, role, sig):
        process = self.procs.get(role)
        if process and process.poll() is None:
            try:
                os.kill(process.pid, sig)
            except ProcessLookupError:
                pass

    def kill9(self, role):
        self.signal(role, signal.SIGKILL)
        process = self.procs.get(role)
        if process:
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                pass

    def terminate(self, role, timeout=30):
        """SIGTERM and wait for the exit (SIGKILL after `timeout`); returns the seconds it took."""
        process = self.procs.get(role)
        if not process or process.poll() is not None:
            return 0.0
        started = time.monotonic()
        os.kill(process.pid, signal.SIGCONT)
        os.kill(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            log(f"{role} did not exit {timeout} s after SIGTERM: killed")
            process.kill()
            process.wait(timeout=10)
        return time.monotonic() - started

    # --- ZooKeeper -----------------------------------------------------------------------------
    def start_zookeeper(self, zk):
        index = int(zk[2:])
        directory = os.path.join(self.work, zk)
        data = os.path.join(directory, "data")
        os.makedirs(data, exist_ok=True)
        lines = [
            "tickTime=500", "initLimit=40", "syncLimit=10", f"dataDir={data}", "clientPort=2181",
            f"clientPortAddress={self.hosts[zk]}", "admin.enableServer=false", "4lw.commands.whitelist=*",
            "maxClientCnxns=0", "maxSessionTimeout=60000",
        ]
        if len(self.zookeepers) > 1:
            lines.append("standaloneEnabled=false")
            for other in self.zookeepers:
                lines.append(f"server.{int(other[2:])}={self.hosts[other]}:2888:3888")
            with open(os.path.join(data, "myid"), "w") as f:
                f.write(f"{index}\n")
        config = os.path.join(directory, "zoo.cfg")
        with open(config, "w") as f:
            f.write("\n".join(lines) + "\n")
        argv = ["java", "-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xss512k",
                "-Dzookeeper.admin.enableServer=false", "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                "-Dorg.slf4j.simpleLogger.showDateTime=true",
                "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                "-cp", ZK_CLASSPATH, "org.apache.zookeeper.server.quorum.QuorumPeerMain", config]
        self.spawn(zk, zk, argv)

    def four_letters(self, zk, word="srvr", timeout=1.0):
        try:
            with socket.create_connection((self.hosts[zk], 2181), timeout=timeout) as s:
                s.sendall(word.encode())
                chunks = []
                while True:
                    chunk = s.recv(4096)
                    if not chunk:
                        break
                    chunks.append(chunk)
                return b"".join(chunks).decode(errors="replace")
        except OSError:
            return ""

    def zk_mode(self, zk):
        for line in self.four_letters(zk).splitlines():
            if line.startswith("Mode:"):
                return line.split(":", 1)[1].strip()
        return None

    def zk_leader(self):
        for zk in self.zookeepers:
            if self.zk_mode(zk) in ("leader", "standalone"):
                return zk
        return None

    def wait_zookeeper(self, seconds=90):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            modes = [self.zk_mode(z) for z in self.zookeepers]
            if all(modes) and any(m in ("leader", "standalone") for m in modes):
                return modes
            time.sleep(0.5)
        return None

    # --- Reactor -------------------------------------------------------------------------------
    def start_api(self, api):
        self.spawn(api, api, [self.reactor, "api", "--zookeeper", self.zk_connect, "--host", self.hosts[api],
                              "--port", "8080", "--allow-open", "--log-level", "info"])

    def wait_api(self, api, seconds=30):
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            status, _ = HTTP.call(self.api_url(api), "GET", "/", timeout=2)
            if status == 200:
                return True
            time.sleep(0.25)
        return False

    def start_manager(self, manager):
        tmp = os.path.join(self.work, f"{manager}-tmp")
        os.makedirs(tmp, exist_ok=True)
        env = dict(os.environ, TMPDIR=tmp + "/")
        self.spawn(manager, manager, [
            self.reactor, "manager", "--zookeeper", self.zk_connect, "--name", manager,
            "--interval", str(self.interval), "--session-timeout", str(self.session_timeout),
            "--api", self.api_url(self.apis[0]), "--fence-audit", self.audit_path(manager), "--log-level", "info",
        ], env=env)

    def api(self, method, path, body=None, timeout=5.0):
        """Tries each API node until one answers (not for writes whose retry would matter)."""
        result = (0, "no API node")
        for base in self.api_urls:
            result = HTTP.call(base, method, path, body, timeout)
            if result[0]:
                return result
        return result

    def configure_managers(self):
        for manager in self.managers:
            status, body = self.api("POST", f"/v1.1/managers/configs/{manager}",
                                    {"cloud:process": {"addresses": self.pool(manager)}})
            if status != 200:
                raise RuntimeError(f"manager configuration of {manager}: {status} {body}")

    def active_managers(self):
        """{manager name: uuid} of the registered managers."""
        status, ids = self.api("GET", "/v1.1/managers/active")
        if status != 200:
            return {}
        names = {}
        for uuid in ids:
            status, body = self.api("GET", f"/v1.1/managers/active/{uuid}")
            if status == 200 and isinstance(body, dict):
                names[body.get("name")] = uuid
        return names

    def owners(self, endpoints):
        """{endpoint: manager uuid or None}."""
        result = {}
        for name in endpoints:
            status, body = self.api("GET", f"/v1.1/endpoints/{name}/state", timeout=3)
            result[name] = body.get("manager") if status == 200 and isinstance(body, dict) else None
        return result

    def start_all(self):
        """Hosts, ZooKeeper, API nodes, manager configurations and managers, waited for."""
        self.create_hosts()
        for zk in self.zookeepers:
            self.start_zookeeper(zk)
        self.enter_client()
        if not self.wait_zookeeper():
            raise RuntimeError("ZooKeeper did not form a quorum in 90 s")
        for api in self.apis:
            self.start_api(api)
        for api in self.apis:
            if not self.wait_api(api):
                raise RuntimeError(f"{api} did not answer in 30 s")
        self.configure_managers()
        for manager in self.managers:
            self.start_manager(manager)
        deadline = time.monotonic() + 40
        while time.monotonic() < deadline:
            if set(self.active_managers()) >= set(self.managers):
                return
            time.sleep(0.5)
        raise RuntimeError("the managers did not all register in 40 s")

    # --- faults --------------------------------------------------------------------------------
    def cut_zookeeper(self, manager):
        """Blackholes the manager host's routes to every ZooKeeper server (nothing else is cut)."""
        for zk in self.zookeepers:
            self.ip("-n", self.ns(manager), "route", "add", "blackhole", f"{self.hosts[zk]}/32", check=False)
        self.cut.add(manager)

    def heal_zookeeper(self, manager):
        for zk in self.zookeepers:
            self.ip("-n", self.ns(manager), "route", "del", "blackhole", f"{self.hosts[zk]}/32", check=False)
        self.cut.discard(manager)

    # --- endpoints and instances -----------------------------------------------------------------
    def endpoint_config(self, port, min_instances, max_instances, generation, run):
        apis = ";".join(self.api_urls)
        return {
            # A decommissioned instance is deleted after 2 s (not 2 hours), so counts settle quickly.
            "endpoint": {"cloud": "process", "port": "9000", "loadbalancer": "tcp", "url": f"tcp://0.0.0.0:{port}",
                         "decommissioned_timeout": "2"},
            "scaling": {"min_instances": str(min_instances), "max_instances": str(max_instances)},
            "cloud:process": {"command": f"exec python3 {INSTANCE}",
                              "environment": f"CHAOS_RUN={run},CHAOS_GEN={generation},CHAOS_APIS={apis}"},
        }

    def instance_processes(self, run):
        """[(pid, endpoint, instance id, host)] of this run's instance processes, from /proc."""
        found = []
        for entry in os.listdir("/proc"):
            if not entry.isdigit():
                continue
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as f:
                    if INSTANCE.encode() not in f.read():
                        continue
                with open(f"/proc/{entry}/environ", "rb") as f:
                    env = dict(item.split(b"=", 1) for item in f.read().split(b"\0") if b"=" in item)
            except OSError:
                continue
            if env.get(b"CHAOS_RUN", b"").decode() != run:
                continue
            found.append((int(entry), env.get(b"REACTOR_ENDPOINT", b"?").decode(),
                          env.get(b"REACTOR_INSTANCE_ID", b"?").decode(), self.host_of_pid(int(entry))))
        return found

    def zk_get(self, zk, path):
        """A node's data read from one ZooKeeper server alone (`reactor zk get`), or why not."""
        result = subprocess.run([self.reactor, "zk", "get", "--zookeeper", f"{self.hosts[zk]}:2181",
                                 "--connect-timeout", "5", path], capture_output=True, text=True, timeout=20)
        return result.stdout.strip() if result.returncode == 0 else f"<{result.stderr.strip()[:80]}>"

    def listeners(self, host, port):
        """Whether anything in `host` listens on TCP `port` (its /proc/net/tcp, through a process there)."""
        result = subprocess.run(["ip", "netns", "exec", self.ns(host), "cat", "/proc/net/tcp"],
                                capture_output=True, text=True)
        for line in result.stdout.splitlines()[1:]:
            fields = line.split()
            if len(fields) > 3 and fields[3] == "0A" and int(fields[1].split(":")[1], 16) == port:
                return True
        return False

    def tail_logs(self, lines=20):
        for name in sorted(os.listdir(self.work)):
            if name.endswith(".log"):
                print(f"--- {name}", flush=True)
                with open(os.path.join(self.work, name), errors="replace") as f:
                    for line in f.readlines()[-lines:]:
                        print("    " + line.rstrip(), flush=True)

    # --- cleanup ---------------------------------------------------------------------------------
    def cleanup(self):
        if self.cleaned:
            return
        self.cleaned = True
        try:
            _libc().setns(self.root_ns, CLONE_NEWNET)
        except Exception:
            pass
        for process in list(self.procs.values()):
            try:
                os.kill(process.pid, signal.SIGKILL)
            except OSError:
                pass
        hosts = list(self.hosts) + ["net"]
        me = os.getpid()
        for host in hosts:
            pids = subprocess.run(["ip", "netns", "pids", self.ns(host)], capture_output=True, text=True).stdout.split()
            for pid in pids:
                if int(pid) != me:
                    try:
                        os.kill(int(pid), signal.SIGKILL)
                    except OSError:
                        pass
        time.sleep(0.3)
        for host in hosts:
            subprocess.run(["ip", "netns", "del", self.ns(host)], capture_output=True)
        if os.environ.get("KEEP_WORK") == "1":
            print(f"(work directory kept: {self.work})", flush=True)
        else:
            shutil.rmtree(self.work, ignore_errors=True)


# --- checks shared by the suites ---------------------------------------------------------------


def read_audit(paths):
    """Every record of the fence audit files: dicts with time, endpoint, epoch, manager, file."""
    records = []
    for path in paths:
        if not os.path.exists(path):
            continue
        with open(path) as f:
            for line in f:
                try:
                    record = json.loads(line)
                except ValueError:
                    continue
                record["file"] = os.path.basename(path)
                records.append(record)
    records.sort(key=lambda r: r["time"])
    return records


def audit_violations(records, stops=None):
    """Double actions in the merged audit: per endpoint, an action recorded with an epoch lower
    than one another manager already recorded an action with (no slack across epochs), and an
    epoch recorded by two managers. `stops` ({manager uuid: [(stop, cont)]}, wall-clock times a
    manager was frozen) only labels a late record whose manager was frozen between its commit
    and its record: those are returned apart, as unprovable rather than double. Each kind of
    violation is reported once per endpoint, epoch and pair of managers, with its count."""
    stops = stops or {}
    found, unprovable = {}, []
    by_endpoint = {}
    for record in records:
        by_endpoint.setdefault(record["endpoint"], []).append(record)
    for endpoint, items in by_endpoint.items():
        first_of_epoch = {}  # epoch -> the first record with it
        highest = {}  # manager -> the record of the highest epoch it acted with so far
        for record in items:
            me, epoch, when = record["manager"], record["epoch"], record["time"]
            first = first_of_epoch.setdefault(epoch, record)
            if first["manager"] != me:
                key = ("shared", endpoint, epoch, first["manager"], me)
                text = (f"endpoint {endpoint[:8]}: epoch {epoch} recorded by {first['manager'][:8]} (from "
                        f"{time.strftime('%H:%M:%S', time.localtime(first['time']))}) and by {me[:8]} (from "
                        f"{time.strftime('%H:%M:%S', time.localtime(when))})")
                found.setdefault(key, [text, 0])[1] += 1
            others = [r for m, r in highest.items() if m != me and r["epoch"] > epoch]
            if others:
                other = max(others, key=lambda r: r["epoch"])
                frozen = any(s <= other["time"] and c <= when for s, c in stops.get(me, []))
                text = (f"endpoint {endpoint[:8]}: {me[:8]} acted with epoch {epoch} at "
                        f"{time.strftime('%H:%M:%S', time.localtime(when))}, after {other['manager'][:8]} acted with "
                        f"epoch {other['epoch']} at {time.strftime('%H:%M:%S', time.localtime(other['time']))}")
                if frozen:
                    unprovable.append(text)
                else:
                    found.setdefault(("lower", endpoint, epoch, other["manager"], me), [text, 0])[1] += 1
            if me not in highest or epoch > highest[me]["epoch"]:
                highest[me] = record
    violations = [f"{text} ({count} record{'s' if count > 1 else ''})" for text, count in found.values()]
    return violations, unprovable


class Load:
    """TCP load through the front doors: short connections (connect, greeting, one echoed line,
    close) and held ones (kept open, a line echoed every second), counted per door."""

    def __init__(self, cluster, targets, short_per_second=10, held_per_door=2):
        self.cluster = cluster
        self.targets = targets  # callable -> [(door host, port)] to use now
        self.short_per_second = short_per_second
        self.held_per_door = held_per_door
        self.stats = {}  # door -> {"ok": n, "failed": n, "held_ok": n, "held_broken": n}
        self.failures = []  # (wall time, door, port, kind, error)
        self.lock = threading.Lock()
        self.running = True
        self.threads = []

    def _count(self, door, key, port=None, error=None):
        with self.lock:
            self.stats.setdefault(door, {"ok": 0, "failed": 0, "held_ok": 0, "held_broken": 0})[key] += 1
            if error is not None:
                self.failures.append((time.time(), door, port, key, error))

    def exchange(self, door, port, timeout=3.0):
        with socket.create_connection((self.cluster.hosts[door], port), timeout=timeout) as s:
            f = s.makefile("rwb")
            greeting = f.readline()
            if not greeting.startswith(b"hello "):
                raise OSError(f"no greeting (got {greeting!r})")
            f.write(b"ping\n")
            f.flush()
            if f.readline() != b"ping\n":
                raise OSError("no echo")
        return greeting

    def _short(self):
        index = 0
        while self.running:
            targets = self.targets()
            if targets:
                door, port = targets[index % len(targets)]
                index += 1
                try:
                    self.exchange(door, port)
                    self._count(door, "ok")
                except OSError as error:
                    self._count(door, "failed", port, str(error) or type(error).__name__)
            time.sleep(1.0 / self.short_per_second)

    def _held(self, slot):
        while self.running:
            targets = self.targets()
            if not targets:
                time.sleep(0.5)
                continue
            door, port = targets[slot % len(targets)]
            try:
                s = socket.create_connection((self.cluster.hosts[door], port), timeout=3)
                s.settimeout(3)
                f = s.makefile("rwb")
                if not f.readline().startswith(b"hello "):
                    raise OSError("no greeting")
            except OSError as error:
                self._count(door, "failed", port, f"held: {error}")
                time.sleep(0.5)
                continue
            try:
                while self.running:
                    f.write(b"held\n")
                    f.flush()
                    if f.readline() != b"held\n":
                        raise OSError("held connection closed")
                    self._count(door, "held_ok")
                    time.sleep(1)
            except OSError as error:
                self._count(door, "held_broken", port, f"held broken: {error}")
            finally:
                s.close()

    def start(self, held_slots):
        self.threads.append(threading.Thread(target=self._short, daemon=True))
        for slot in range(held_slots):
            self.threads.append(threading.Thread(target=self._held, args=(slot,), daemon=True))
        for thread in self.threads:
            thread.start()

    def stop(self):
        self.running = False
        for thread in self.threads:
            thread.join(timeout=5)


class InstanceSampler:
    """Counts every instance process of the run each second (/proc, by REACTOR_ENDPOINT) and
    records each sample where an endpoint has more than `allowed(endpoint, time)` of them."""

    def __init__(self, cluster, allowed, period=1.0):
        self.cluster = cluster
        self.allowed = allowed
        self.period = period
        self.latest = {}  # endpoint -> [(pid, instance id, host)]
        self.violations = []  # (wall time, endpoint, count, allowed, {host: count})
        self.samples = 0
        self.running = True
        self.lock = threading.Lock()
        self.thread = threading.Thread(target=self._run, daemon=True)

    def sample(self):
        now = time.time()
        current = {}
        for pid, endpoint, instance, host in self.cluster.instance_processes(self.cluster.tag):
            current.setdefault(endpoint, []).append((pid, instance, host))
        for endpoint, processes in current.items():
            limit = self.allowed(endpoint, now)
            if limit is not None and len({p[1] for p in processes}) > limit:
                hosts = {}
                for _, _, host in processes:
                    hosts[host] = hosts.get(host, 0) + 1
                self.violations.append((now, endpoint, len(processes), limit, hosts))
        with self.lock:
            self.latest = current
            self.samples += 1
        return current

    def _run(self):
        while self.running:
            started = time.monotonic()
            self.sample()
            time.sleep(max(0.05, self.period - (time.monotonic() - started)))

    def start(self):
        self.thread.start()

    def stop(self):
        self.running = False
        self.thread.join(timeout=5)

    def summary(self, limit=5):
        """The violations grouped into episodes per endpoint (samples less than 3 s apart)."""
        episodes = []
        for when, endpoint, count, allowed, hosts in self.violations:
            last = next((e for e in reversed(episodes) if e["endpoint"] == endpoint), None)
            if last and when - last["end"] < 3:
                last["end"] = when
                if count > last["worst"]:
                    last["worst"], last["hosts"] = count, hosts
                last["samples"] += 1
            else:
                episodes.append({"endpoint": endpoint, "start": when, "end": when, "worst": count, "allowed": allowed,
                                 "hosts": hosts, "samples": 1})
        return episodes
