"""Engine throughput, storage and upload benchmark for the embedded server.

Starts ``mistral-server --server all`` itself (a temporary SQLite file, a
free port, ``transport_url = inproc://``) and measures it through the REST
API only (standard library ``http.client``):

a. sequential ``std.noop`` chains (``--sizes``, default 50,500,5000): wall
   time from POST /v2/executions until a GET (polled every ``--poll`` s)
   sees SUCCESS, tasks/s and milliseconds per task;
b. storage: the SQLite database's growth per task for those executions
   (live pages, read through the WAL, and the file size after
   ``PRAGMA wal_checkpoint(TRUNCATE)``), split by table; and the same for a
   chain whose tasks each publish a small value (``--publish-sizes``), to
   show the context is not copied into every task;
c. upload time of workflow definitions (``--upload-sizes``, default
   50,200,1000,2000 tasks; POST /v2/workflows, text/plain YAML);
d. rerun with env on a ``--rerun-length`` task chain (default 200) whose
   last task fails until ``env().token`` is fixed: time to ERROR,
   PUT /v2/tasks/<id> latency and time from the PUT to SUCCESS.

Every measurement runs ``--repeat`` times; the summary gives the median,
min and max. The JSON summary goes to stdout (and ``--json-out``), a
readable table to stderr. It prints figures and never asserts on them.

    python benchmarks/bench_engine.py --sizes 50,500,5000 --repeat 3 \\
        --json-out benchmarks/results/engine.json

``python benchmarks/bench_engine.py serve --port 8989`` only starts the
embedded server (temporary database) and keeps it running until Ctrl-C,
for other benchmarks such as bench_rest.py.
"""

import argparse
import contextlib
import http.client
import json
import os
import platform
import shutil
import signal
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time

TERMINAL = ("SUCCESS", "ERROR", "CANCELLED")

SERVER_CONF = """[DEFAULT]
transport_url = inproc://

[api]
host = 127.0.0.1
port = {port}

[database]
connection = sqlite:///{db}
"""


# --------------------------------------------------------------------------
# The embedded server


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def port_in_use(port):
    with socket.socket() as s:
        return s.connect_ex(("127.0.0.1", port)) == 0


def server_command():
    """The mistral-server next to this interpreter, else the one on PATH."""
    here = os.path.join(os.path.dirname(sys.executable), "mistral-server")
    if os.path.exists(here):
        return here
    found = shutil.which("mistral-server")
    if not found:
        raise SystemExit("mistral-server not found: install the project (pip install -e .) first")
    return found


class EmbeddedServer:
    """``mistral-server --server all`` on a temporary SQLite file.

    A context manager: it starts the server, waits until the API answers,
    and on exit stops it (SIGTERM, then SIGKILL after ``stop_timeout``) and
    removes the temporary directory unless ``keep`` is true.
    """

    def __init__(self, port=None, workdir=None, keep=False, startup_timeout=60, stop_timeout=15):
        self.port = port or free_port()
        self.keep = keep
        self.startup_timeout = startup_timeout
        self.stop_timeout = stop_timeout
        self._own_dir = workdir is None
        self.workdir = workdir or tempfile.mkdtemp(prefix="mistral-bench-")
        self.db_path = os.path.join(self.workdir, "mistral.sqlite")
        self.conf_path = os.path.join(self.workdir, "mistral.conf")
        self.log_path = os.path.join(self.workdir, "server.log")
        self.proc = None

    @property
    def base_url(self):
        return "http://127.0.0.1:%d" % self.port

    def start(self):
        if port_in_use(self.port):
            raise SystemExit("port %d is already in use: choose another one" % self.port)
        with open(self.conf_path, "w") as f:
            f.write(SERVER_CONF.format(port=self.port, db=self.db_path))
        self._log = open(self.log_path, "ab")
        self.proc = subprocess.Popen(
            [server_command(), "--server", "all", "--config-file", self.conf_path],
            stdout=self._log,
            stderr=subprocess.STDOUT,
            cwd=self.workdir,
        )
        deadline = time.monotonic() + self.startup_timeout
        http_ = Http(self.base_url, timeout=5)
        while True:
            if self.proc.poll() is not None:
                raise SystemExit("mistral-server exited with %s; see %s" % (self.proc.returncode, self.log_path))
            try:
                status, _, _ = http_.request("GET", "/v2/workflows", retries=1)
                if status == 200:
                    return self
            except RuntimeError:
                pass
            if time.monotonic() > deadline:
                self.stop()
                raise SystemExit("mistral-server did not answer within %d s; see %s" % (self.startup_timeout, self.log_path))
            time.sleep(0.2)

    def stop(self):
        if self.proc is not None and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(self.stop_timeout)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.proc is not None:
            self._log.close()
        self.proc = None
        if self._own_dir and not self.keep:
            shutil.rmtree(self.workdir, ignore_errors=True)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


# --------------------------------------------------------------------------
# HTTP


class Http:
    """One persistent HTTP/1.1 connection to BASE_URL (one per thread)."""

    def __init__(self, base_url, timeout=600):
        rest = base_url.split("://", 1)[-1].rstrip("/")
        hostport = rest.split("/", 1)[0]
        host, _, port = hostport.partition(":")
        self.host, self.port, self.timeout = host, int(port or 80), timeout
        self.conn = None

    def request(self, method, path, body=None, ctype="application/json", retries=3):
        # */*: the original answers 406 to YAML uploads that accept only JSON.
        headers = {"Accept": "*/*"}
        data = None
        if body is not None:
            data = body.encode() if isinstance(body, str) else json.dumps(body).encode()
            headers["Content-Type"] = ctype
        last = None
        for _ in range(retries):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                t0 = time.perf_counter()
                self.conn.request(method, path, body=data, headers=headers)
                resp = self.conn.getresponse()
                raw = resp.read()
                elapsed = time.perf_counter() - t0
                if resp.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                try:
                    obj = json.loads(raw) if raw else None
                except ValueError:
                    obj = raw.decode(errors="replace")
                return resp.status, obj, elapsed
            except (http.client.HTTPException, OSError) as e:
                last = e
                self.conn.close()
                self.conn = None
        raise RuntimeError("%s %s failed: %r" % (method, path, last))

    def ok(self, method, path, body=None, ctype="application/json"):
        status, obj, elapsed = self.request(method, path, body, ctype)
        if status not in (200, 201, 204):
            raise RuntimeError("%s %s -> %s %s" % (method, path, status, str(obj)[:500]))
        return obj, elapsed


def upload(http_, text):
    """POST a workflow definition; returns the seconds the request took."""
    _, elapsed = http_.ok("POST", "/v2/workflows", text, ctype="text/plain")
    return elapsed


def start_execution(http_, wf_name, env=None):
    body = {"workflow_name": wf_name}
    if env is not None:
        body["params"] = json.dumps({"env": env})
    obj, _ = http_.ok("POST", "/v2/executions", body)
    return obj["id"]


def wait_state(http_, ex_id, want, poll, timeout, ignore=()):
    """Poll GET /v2/executions/<id> until its state is in ``want`` or
    terminal (states in ``ignore`` are not taken as terminal)."""
    deadline = time.perf_counter() + timeout
    while True:
        obj, _ = http_.ok("GET", "/v2/executions/%s" % ex_id)
        state = obj["state"]
        if state in want or (state in TERMINAL and state not in ignore):
            return state
        if time.perf_counter() > deadline:
            raise RuntimeError("timeout waiting for %s on execution %s (last %s)" % (want, ex_id, state))
        time.sleep(poll)


# --------------------------------------------------------------------------
# Workflow definitions


def wf_chain(name, n):
    """n sequential std.noop tasks."""
    lines = ["version: '2.0'", "%s:" % name, "  type: direct", "  tasks:"]
    for i in range(1, n + 1):
        lines.append("    t%d:" % i)
        lines.append("      action: std.noop")
        if i < n:
            lines.append("      on-success: t%d" % (i + 1))
    return "\n".join(lines) + "\n"


def wf_publish_chain(name, n):
    """n sequential std.echo tasks, task i publishing v<i> (a short string)."""
    lines = ["version: '2.0'", "%s:" % name, "  type: direct", "  tasks:"]
    for i in range(1, n + 1):
        lines.append("    t%d:" % i)
        lines.append("      action: std.echo output=value-%d" % i)
        lines.append("      publish:")
        lines.append("        v%d: <%% task().result %%>" % i)
        if i < n:
            lines.append("      on-success: t%d" % (i + 1))
    return "\n".join(lines) + "\n"


def wf_rerun(name, n):
    """n-1 std.noop tasks, then one that fails unless env().token == 'good'."""
    lines = ["version: '2.0'", "%s:" % name, "  type: direct", "  tasks:"]
    for i in range(1, n):
        lines.append("    t%d:" % i)
        lines.append("      action: std.noop")
        lines.append("      on-success: t%d" % (i + 1))
    lines.append("    t%d:" % n)
    lines.append("      action: std.echo output=<% dict(good => 'ok')[env().token] %>")
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------
# Storage


def db_usage(db_path):
    """Live bytes of the database (pages in use, as seen through the WAL),
    the file size after a TRUNCATE checkpoint, and live bytes per table
    (tables and their indexes, from the dbstat virtual table)."""
    conn = sqlite3.connect(db_path, timeout=30)
    try:
        page_size = conn.execute("PRAGMA page_size").fetchone()[0]
        pages = conn.execute("PRAGMA page_count").fetchone()[0]
        free = conn.execute("PRAGMA freelist_count").fetchone()[0]
        busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        per_table = {}
        try:
            rows = conn.execute(
                "SELECT coalesce(m.tbl_name, s.name), sum(s.pgsize - s.unused) FROM dbstat s "
                "LEFT JOIN sqlite_schema m ON m.name = s.name GROUP BY 1"
            ).fetchall()
            per_table = {name: int(size) for name, size in rows}
        except sqlite3.OperationalError:
            pass  # SQLite built without dbstat
    finally:
        conn.close()
    files = sum(os.path.getsize(db_path + suffix) for suffix in ("", "-wal") if os.path.exists(db_path + suffix))
    return {"live_bytes": (pages - free) * page_size, "file_bytes": files, "checkpoint_busy": bool(busy), "tables": per_table}


def usage_delta(before, after):
    tables = {}
    for name in set(before["tables"]) | set(after["tables"]):
        delta = after["tables"].get(name, 0) - before["tables"].get(name, 0)
        if delta:
            tables[name] = delta
    return {
        "live_bytes": after["live_bytes"] - before["live_bytes"],
        "file_bytes": after["file_bytes"] - before["file_bytes"],
        "tables": tables,
    }


def proc_usage(pid):
    """CPU seconds (user + system) and resident memory of a local process
    (Linux /proc), or None."""
    if not pid:
        return None
    try:
        with open("/proc/%d/stat" % pid) as f:
            fields = f.read().rsplit(")", 1)[1].split()
        with open("/proc/%d/status" % pid) as f:
            rss_kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    except (OSError, StopIteration, ValueError):
        return None
    ticks = os.sysconf("SC_CLK_TCK")
    return {"cpu_s": (int(fields[11]) + int(fields[12])) / ticks, "rss_mib": rss_kib // 1024}


def code_version():
    """The commit of the checkout this script lives in, and whether it has
    local changes (read-only git commands; None outside a git checkout)."""
    here = os.path.dirname(os.path.abspath(__file__))
    try:
        head = subprocess.run(["git", "-C", here, "rev-parse", "--short", "HEAD"], capture_output=True, text=True, timeout=10)
        dirty = subprocess.run(["git", "-C", here, "status", "--porcelain", "--", "mistral"], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    if head.returncode:
        return None
    return {"commit": head.stdout.strip(), "mistral_dir_modified": bool(dirty.stdout.strip())}


# --------------------------------------------------------------------------
# Statistics


def summary(values, digits=4):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {
        "median": round(statistics.median(values), digits),
        "min": round(min(values), digits),
        "max": round(max(values), digits),
        "n": len(values),
    }


def spread_pct(values):
    """(max - min) / median, in percent: how noisy the repeats were."""
    values = [v for v in values if v is not None]
    if len(values) < 2:
        return 0.0
    return round(100.0 * (max(values) - min(values)) / statistics.median(values), 1)


# --------------------------------------------------------------------------
# Workloads


def run_chain(http_, db_path, pid, wf_name, n, poll, timeout):
    """One execution of a chain: wall time, the server's CPU time and
    memory (when its pid is known) and the database growth."""
    before = db_usage(db_path) if db_path else None
    proc_before = proc_usage(pid)
    t0 = time.perf_counter()
    ex_id = start_execution(http_, wf_name)
    state = wait_state(http_, ex_id, ("SUCCESS",), poll, timeout)
    wall = time.perf_counter() - t0
    proc_after = proc_usage(pid)
    result = {"execution_id": ex_id, "state": state, "tasks": n, "wall_s": round(wall, 4)}
    if state == "SUCCESS":
        result["tasks_per_s"] = round(n / wall, 2)
        result["ms_per_task"] = round(1000.0 * wall / n, 3)
    if proc_before and proc_after:
        result["server_cpu_ms_per_task"] = round(1000.0 * (proc_after["cpu_s"] - proc_before["cpu_s"]) / n, 3)
        result["server_rss_mib"] = [proc_before["rss_mib"], proc_after["rss_mib"]]
    if db_path:
        delta = usage_delta(before, db_usage(db_path))
        result["storage"] = delta
        result["bytes_per_task"] = round(delta["live_bytes"] / n, 1)
    return result


def bench_chains(http_, db_path, pid, sizes, repeat, poll, timeout, kind, log):
    """Chains of each size, ``repeat`` times; kind is 'noop' or 'publish'."""
    build = wf_chain if kind == "noop" else wf_publish_chain
    out = {}
    for n in sizes:
        name = "bench_%s_%d" % (kind, n)
        upload(http_, build(name, n))
        runs = []
        for r in range(repeat):
            res = run_chain(http_, db_path, pid, name, n, poll, timeout)
            log(
                "  %s chain %5d, run %d: %s in %.2f s (%s tasks/s, %s B/task)"
                % (kind, n, r + 1, res["state"], res["wall_s"], res.get("tasks_per_s"), res.get("bytes_per_task"))
            )
            runs.append(res)
        walls = [x["wall_s"] for x in runs if x["state"] == "SUCCESS"]
        entry = {
            "tasks": n,
            "states": [x["state"] for x in runs],
            "wall_s": summary(walls),
            "tasks_per_s": summary([x.get("tasks_per_s") for x in runs], 2),
            "ms_per_task": summary([x.get("ms_per_task") for x in runs], 3),
            "server_cpu_ms_per_task": summary([x.get("server_cpu_ms_per_task") for x in runs], 3),
            "server_rss_mib_after": summary([x["server_rss_mib"][1] for x in runs if "server_rss_mib" in x], 0),
            "spread_pct": spread_pct(walls),
            "runs": runs,
        }
        if db_path:
            entry["bytes_per_task"] = summary([x["bytes_per_task"] for x in runs], 1)
            # Per table, from the median run (by live bytes).
            mid = sorted(runs, key=lambda x: x["storage"]["live_bytes"])[len(runs) // 2]
            entry["bytes_per_task_by_table"] = {
                t: round(b / n, 1) for t, b in sorted(mid["storage"]["tables"].items(), key=lambda kv: -kv[1])
            }
        out[str(n)] = entry
    # Marginal cost between consecutive sizes: flat if the cost per task
    # does not grow with the length of the execution.
    done = [n for n in sizes if out[str(n)]["wall_s"]]
    for a, b in zip(done, done[1:], strict=False):
        wa, wb = out[str(a)]["wall_s"]["median"], out[str(b)]["wall_s"]["median"]
        out[str(b)]["marginal_ms_per_task_from_%d" % a] = round(1000.0 * (wb - wa) / (b - a), 3)
    return out


def bench_uploads(http_, sizes, repeat, log):
    out = {}
    for n in sizes:
        times = []
        for r in range(repeat):
            text = wf_chain("bench_upload_%d_%d_%d" % (n, r, os.getpid()), n)
            times.append(upload(http_, text))
            log("  upload %5d tasks (%d KiB), run %d: %.3f s" % (n, len(text) // 1024, r + 1, times[-1]))
        out[str(n)] = {"tasks": n, "yaml_bytes": len(text), "seconds": summary(times), "spread_pct": spread_pct(times)}
    return out


def bench_rerun(http_, n, repeat, poll, timeout, log):
    name = "bench_rerun_%d" % n
    upload(http_, wf_rerun(name, n))
    runs = []
    for r in range(repeat):
        t0 = time.perf_counter()
        ex_id = start_execution(http_, name, env={"token": "bad", "endpoint": "x"})
        state = wait_state(http_, ex_id, ("ERROR",), poll, timeout)
        t_error = time.perf_counter() - t0
        if state != "ERROR":
            runs.append({"error": "expected ERROR, got %s" % state})
            continue
        tasks, _ = http_.ok("GET", "/v2/executions/%s/tasks" % ex_id)
        failed = [t for t in tasks["tasks"] if t["state"] == "ERROR"]
        t1 = time.perf_counter()
        status, body, put_s = http_.request(
            "PUT", "/v2/tasks/%s" % failed[0]["id"], {"state": "RUNNING", "reset": True, "env": json.dumps({"token": "good"})}
        )
        if status != 200:
            runs.append({"error": "rerun PUT -> %s %s" % (status, str(body)[:300])})
            continue
        # An ERROR seen right after the PUT would be stale: wait for SUCCESS.
        state = wait_state(http_, ex_id, ("SUCCESS",), poll, timeout, ignore=("ERROR",))
        t_done = time.perf_counter() - t1
        runs.append(
            {
                "execution_id": ex_id,
                "tasks_before_rerun": len(tasks["tasks"]),
                "time_to_error_s": round(t_error, 4),
                "put_ms": round(1000.0 * put_s, 2),
                "put_response_task_state": (body or {}).get("state"),
                "put_to_success_s": round(t_done, 4),
                "final_state": state,
            }
        )
        log("  rerun %d, run %d: ERROR after %.2f s, PUT %.1f ms, PUT->%s %.3f s" % (n, r + 1, t_error, 1000.0 * put_s, state, t_done))
    good = [x for x in runs if "error" not in x]
    return {
        "tasks": n,
        "time_to_error_s": summary([x["time_to_error_s"] for x in good]),
        "put_ms": summary([x["put_ms"] for x in good], 2),
        "put_to_success_s": summary([x["put_to_success_s"] for x in good]),
        "final_states": [x.get("final_state") for x in runs],
        "runs": runs,
    }


# --------------------------------------------------------------------------
# Report


def table(results):
    lines = []
    add = lines.append
    server = results.get("server", {})
    add(
        "bench_engine  %s  (python %s, %s cores, repeat %d, poll %.3f s)"
        % (results["started_utc"], results["client"]["python"], results["client"]["nproc"], results["repeat"], results["poll_s"])
    )
    add("server: %s" % server.get("base_url"))
    for kind in ("noop", "publish"):
        chains = results.get("chains_%s" % kind)
        if not chains:
            continue
        add("")
        add(
            "sequential %s chains        wall s (min-max)      tasks/s   ms/task  marginal ms/task  bytes/task  spread"
            "  server cpu ms/task  rss MiB" % ("std.noop" if kind == "noop" else "std.echo+publish")
        )
        for n, e in chains.items():
            if not e["wall_s"]:
                add("  %6s tasks  failed: %s" % (n, e["states"]))
                continue
            marg = [v for k, v in e.items() if k.startswith("marginal_ms_per_task_from_")]
            bpt = e.get("bytes_per_task")
            add(
                "  %6s tasks  %8.2f (%7.2f-%7.2f)  %8.1f  %8.2f  %16s  %10s  %5.1f%%  %18s  %7s"
                % (
                    n,
                    e["wall_s"]["median"],
                    e["wall_s"]["min"],
                    e["wall_s"]["max"],
                    e["tasks_per_s"]["median"],
                    e["ms_per_task"]["median"],
                    "%.2f" % marg[0] if marg else "-",
                    "%.0f" % bpt["median"] if bpt else "-",
                    e["spread_pct"],
                    "%.2f" % e["server_cpu_ms_per_task"]["median"] if e.get("server_cpu_ms_per_task") else "-",
                    "%.0f" % e["server_rss_mib_after"]["median"] if e.get("server_rss_mib_after") else "-",
                )
            )
        last = list(chains.values())[-1].get("bytes_per_task_by_table")
        if last:
            add("  bytes/task by table (%s tasks): %s" % (list(chains)[-1], ", ".join("%s %.0f" % kv for kv in list(last.items())[:6])))
    uploads = results.get("uploads")
    if uploads:
        add("")
        add("workflow upload (POST /v2/workflows)   median s   min-max           spread")
        for n, e in uploads.items():
            s = e["seconds"]
            add(
                "  %6s tasks (%5d KiB)          %8.3f   %.3f-%.3f    %5.1f%%"
                % (n, e["yaml_bytes"] // 1024, s["median"], s["min"], s["max"], e["spread_pct"])
            )
    rerun = results.get("rerun")
    if rerun and rerun["put_ms"]:
        add("")
        add(
            "rerun with env, %d-task chain: to ERROR %.2f s, PUT /v2/tasks %.1f ms (%.1f-%.1f), PUT -> SUCCESS %.3f s (%.3f-%.3f)"
            % (
                rerun["tasks"],
                rerun["time_to_error_s"]["median"],
                rerun["put_ms"]["median"],
                rerun["put_ms"]["min"],
                rerun["put_ms"]["max"],
                rerun["put_to_success_s"]["median"],
                rerun["put_to_success_s"]["min"],
                rerun["put_to_success_s"]["max"],
            )
        )
    return "\n".join(lines)


def int_list(text):
    return [int(x) for x in text.split(",") if x.strip()]


def parse_args(argv):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument(
        "mode",
        nargs="?",
        default="bench",
        choices=("bench", "serve"),
        help="bench (default) or serve: only start the embedded server until Ctrl-C",
    )
    ap.add_argument("--sizes", type=int_list, default=[50, 500, 5000], help="noop chain lengths (default 50,500,5000)")
    ap.add_argument(
        "--publish-sizes", type=int_list, default=[50, 500, 2000], help="publishing chain lengths (default 50,500,2000; empty to skip)"
    )
    ap.add_argument(
        "--upload-sizes",
        type=int_list,
        default=[50, 200, 1000, 2000],
        help="workflow definition sizes to upload (default 50,200,1000,2000)",
    )
    ap.add_argument("--rerun-length", type=int, default=200, help="tasks in the rerun chain (default 200; 0 to skip)")
    ap.add_argument("--repeat", type=int, default=3, help="runs of each measurement (default 3)")
    ap.add_argument("--poll", type=float, default=0.02, help="poll interval in seconds (default 0.02)")
    ap.add_argument("--timeout", type=float, default=1800, help="per-execution timeout in seconds")
    ap.add_argument("--port", type=int, default=None, help="port of the embedded server (default: a free one)")
    ap.add_argument("--url", default=None, help="measure an already running server instead (storage is then only measured with --db)")
    ap.add_argument("--db", default=None, help="with --url: the server's SQLite file, to measure storage")
    ap.add_argument("--pid", type=int, default=None, help="with --url: the server's pid, to measure its CPU time and memory")
    ap.add_argument("--keep", action="store_true", help="keep the temporary directory (database, config, log)")
    ap.add_argument("--json-out", default=None, help="also write the JSON summary to this file")
    return ap.parse_args(argv)


def serve(args):
    def _interrupt(signum, frame):
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, _interrupt)
    server = EmbeddedServer(port=args.port or 8989, keep=args.keep)
    with server:
        print("embedded server on %s (database %s); Ctrl-C to stop" % (server.base_url, server.db_path), file=sys.stderr, flush=True)
        with contextlib.suppress(KeyboardInterrupt):
            while server.proc.poll() is None:
                time.sleep(0.5)
    return 0


def bench(args):
    def log(msg):
        print(msg, file=sys.stderr, flush=True)

    results = {
        "started_utc": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
        "client": {"python": platform.python_version(), "nproc": os.cpu_count(), "loadavg_at_start": os.getloadavg()},
        "repeat": args.repeat,
        "poll_s": args.poll,
        "code": code_version(),
    }
    with contextlib.ExitStack() as stack:
        if args.url:
            base_url, db_path, pid = args.url.rstrip("/"), args.db, args.pid
        else:
            server = stack.enter_context(EmbeddedServer(port=args.port, keep=args.keep))
            base_url, db_path, pid = server.base_url, server.db_path, server.proc.pid
            log("embedded server on %s, database %s" % (base_url, db_path))
        results["server"] = {"base_url": base_url, "embedded": not args.url, "db": db_path}
        http_ = Http(base_url, timeout=args.timeout)
        if args.upload_sizes:
            log("uploads")
            results["uploads"] = bench_uploads(http_, args.upload_sizes, args.repeat, log)
        if args.sizes:
            log("noop chains")
            results["chains_noop"] = bench_chains(http_, db_path, pid, args.sizes, args.repeat, args.poll, args.timeout, "noop", log)
        if args.publish_sizes:
            log("publishing chains")
            results["chains_publish"] = bench_chains(
                http_, db_path, pid, args.publish_sizes, args.repeat, args.poll, args.timeout, "publish", log
            )
        if args.rerun_length:
            log("rerun with env")
            results["rerun"] = bench_rerun(http_, args.rerun_length, args.repeat, args.poll, args.timeout, log)
    results["client"]["loadavg_at_end"] = os.getloadavg()
    results["finished_utc"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
    out = json.dumps(results, indent=2)
    print(out)
    if args.json_out:
        with open(args.json_out, "w") as f:
            f.write(out + "\n")
    log("")
    log(table(results))
    return 0


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    return serve(args) if args.mode == "serve" else bench(args)


if __name__ == "__main__":
    sys.exit(main())
