"""Profile the hot path of a sequential std.noop chain.

Starts API, engine and executor in THIS process (as ``mistral-server
--server all`` does: a temporary SQLite file, a free port, the in-process
transport), with a cProfile profiler in every thread the server starts, and
counts the SQL statements it sends. Then it uploads a chain of ``--tasks``
std.noop tasks, runs it ``--repeat`` times through the REST API (polling
GET /v2/executions/<id> every 0.02 s, from the main thread, which is not
profiled) and prints, per task:

- the SQL statements by kind (the first words of each statement);
- the functions with the most own time, and selected engine functions with
  their cumulative time (merged over all server threads).

    python benchmarks/profile_engine.py --tasks 500 --repeat 2 --top 30
    python benchmarks/profile_engine.py --no-profile   # SQL counts only

Figures are inflated by cProfile (several times for Python-heavy code):
compare them with each other, not with bench_engine.py.
"""

import argparse
import collections
import cProfile
import os
import pstats
import re
import shutil
import sys
import tempfile
import threading
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_engine import SERVER_CONF, Http, free_port, start_execution, upload, wait_state, wf_chain  # noqa: E402

# Engine functions whose cumulative time is worth reading per task.
WATCH = (
    "mistral/engine/manager.py:run",
    "mistral/engine/actions.py:complete",
    "mistral/engine/actions.py:start",
    "mistral/engine/tasks.py:on_action_complete",
    "mistral/engine/tasks.py:finish_task",
    "mistral/engine/tasks.py:after_task_completed",
    "mistral/engine/tasks.py:process_transitions",
    "mistral/engine/tasks.py:schedule_task",
    "mistral/engine/tasks.py:begin_task",
    "mistral/engine/tasks.py:run_task",
    "mistral/engine/tasks.py:_start_action",
    "mistral/engine/tasks.py:result_of",
    "mistral/engine/tasks.py:functions",
    "mistral/engine/context.py:inbound_context",
    "mistral/engine/context.py:outbound_context",
    "mistral/engine/workflows.py:check_completion",
    "mistral/db/executions.py:_cas",
    "mistral/db/executions.py:lock_execution",
    "mistral/db/executions.py:get_tasks_by_ids",
    "mistral/db/executions.py:create_task_execution",
    "mistral/db/executions.py:create_action_execution",
    "mistral/db/executions.py:update_task",
    "mistral/db/query.py:get_by_id",
    "mistral/expressions/__init__.py:evaluate_recursively",
    "mistral/actions/registry.py:validate_input",
    "mistral/actions/registry.py:get_action_class",
    "sqlalchemy/orm/session.py:flush",
    "sqlalchemy/orm/session.py:execute",
    "sqlalchemy/orm/session.py:refresh",
    "sqlalchemy/engine/base.py:_execute_context",
)


class ThreadProfiles:
    """One cProfile.Profile per thread started after :meth:`install`."""

    def __init__(self):
        self.profiles = []
        self._lock = threading.Lock()

    def install(self):
        def _start(frame, event, arg):
            profile = cProfile.Profile()
            with self._lock:
                self.profiles.append(profile)
            profile.enable()  # replaces this hook in the thread

        threading.setprofile(_start)

    def stats(self):
        merged = None
        with self._lock:
            profiles = list(self.profiles)
        for profile in profiles:
            profile.create_stats()
            if not profile.stats:
                continue
            if merged is None:
                merged = pstats.Stats(profile)
            else:
                merged.add(profile)
        return merged


def count_sql(engine):
    counts = collections.Counter()
    from sqlalchemy import event

    @event.listens_for(engine, "before_cursor_execute")
    def _count(conn, cursor, statement, parameters, context, executemany):
        counts[_kind(statement)] += 1

    return counts


def _kind(statement):
    text = " ".join(statement.split())
    m = re.match(r"(SELECT)\s.*?\sFROM (\w+)(.*)", text)
    if m:
        where = re.search(r"WHERE (.*?)(ORDER BY|LIMIT|$)", m.group(3))
        cond = re.sub(r"\s*(\?|:\w+)", "?", where.group(1))[:70] if where else ""
        return "SELECT %s WHERE %s" % (m.group(2), cond)
    m = re.match(r"(INSERT INTO|UPDATE|DELETE FROM) (\w+)(.*)", text)
    if m:
        where = re.search(r"WHERE (.*)", m.group(3))
        cond = re.sub(r"\s*(\?|:\w+)", "?", where.group(1))[:70] if where else ""
        return "%s %s %s" % (m.group(1), m.group(2), ("WHERE " + cond) if cond else "")
    return text[:60]


def start_server(workdir, port):
    from oslo_config import cfg

    from mistral import config, rpc
    from mistral.service import COMPONENTS, Launcher, Services

    conf_path = os.path.join(workdir, "mistral.conf")
    with open(conf_path, "w") as f:
        f.write(SERVER_CONF.format(port=port, db=os.path.join(workdir, "mistral.sqlite")))
    conf = cfg.ConfigOpts()
    rpc.register_opts(conf)
    config.parse_args(["--config-file", conf_path], conf)
    launcher = Launcher(Services(conf), list(COMPONENTS))
    launcher.prepare_database()
    return launcher


def short(func):
    filename, line, name = func
    for marker in ("site-packages/", "/work/main/"):
        if marker in filename:
            filename = filename.split(marker, 1)[1]
    return "%s:%d(%s)" % (filename, line, name)


def report(stats, tasks, top):
    lines = []
    raw = stats.stats  # {func: (cc, nc, tt, ct, callers)}
    total_tt = sum(v[2] for v in raw.values())
    lines.append(
        "profiled CPU time in server threads: %.2f s, %.3f ms/task (cProfile overhead included)" % (total_tt, 1000 * total_tt / tasks)
    )
    lines.append("")
    lines.append("top %d by own time        ms/task  calls/task  function" % top)
    for func, (_cc, nc, tt, _ct, _callers) in sorted(raw.items(), key=lambda kv: -kv[1][2])[:top]:
        lines.append("  %26.3f  %10.1f  %s" % (1000 * tt / tasks, nc / tasks, short(func)))
    lines.append("")
    lines.append("engine functions, cumulative   ms/task  calls/task")
    for want in WATCH:
        path, name = want.split(":")
        hits = [(f, v) for f, v in raw.items() if f[0].endswith(path) and f[2] == name]
        for _func, (_cc, nc, _tt, ct, _callers) in hits:
            lines.append("  %-48s %8.3f  %10.2f" % (want, 1000 * ct / tasks, nc / tasks))
    return "\n".join(lines)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--tasks", type=int, default=500, help="length of the std.noop chain (default 500)")
    ap.add_argument("--repeat", type=int, default=2, help="executions of the chain (default 2)")
    ap.add_argument("--top", type=int, default=30, help="functions to list by own time (default 30)")
    ap.add_argument("--no-profile", action="store_true", help="only time the runs and count SQL statements")
    ap.add_argument("--pstats-out", default=None, help="also save the merged profile (for snakeviz, pstats)")
    args = ap.parse_args(argv)

    workdir = tempfile.mkdtemp(prefix="mistral-profile-")
    port = free_port()
    profiles = ThreadProfiles()
    launcher = start_server(workdir, port)
    sql = count_sql(launcher.services.db.engine)
    if not args.no_profile:
        profiles.install()
    launcher.start()
    try:
        http_ = Http("http://127.0.0.1:%d" % port)
        upload(http_, wf_chain("profile_chain", args.tasks))
        sql.clear()
        walls = []
        for _ in range(args.repeat):
            t0 = time.perf_counter()
            ex_id = start_execution(http_, "profile_chain")
            state = wait_state(http_, ex_id, ("SUCCESS",), 0.02, 3600)
            walls.append(time.perf_counter() - t0)
            print("chain of %d: %s in %.2f s (%.1f tasks/s)" % (args.tasks, state, walls[-1], args.tasks / walls[-1]), file=sys.stderr)
        # Let the threads go idle before their profiles are read.
        time.sleep(0.5)
        counts = dict(sql)
        stats = None if args.no_profile else profiles.stats()
    finally:
        threading.setprofile(None)
        launcher.stop()
        shutil.rmtree(workdir, ignore_errors=True)

    tasks = args.tasks * args.repeat
    print("chain of %d std.noop tasks x %d: wall %s s" % (args.tasks, args.repeat, ", ".join("%.2f" % w for w in walls)))
    print("")
    print("SQL statements per task (GET polls included): %.1f" % (sum(counts.values()) / tasks))
    for kind, n in sorted(counts.items(), key=lambda kv: -kv[1]):
        if n / tasks >= 0.01:
            print("  %6.2f  %s" % (n / tasks, kind))
    if stats is not None:
        print("")
        print(report(stats, tasks, args.top))
        if args.pstats_out:
            stats.dump_stats(args.pstats_out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
