#!/usr/bin/env python3
"""vidb benchmark driver (called by bench/run.sh; see bench/README.md).

  bench.py prepare           generate the workloads and build one vidb per migration set
  bench.py run               run every workload against the server in $BENCH_PG_ENV, write RESULTS.md
  bench.py report            write RESULTS.md again from bench/results/run.json (e.g. after editing analysis.md)

Everything it generates lives under bench/results/ (ignored by git), except
bench/RESULTS.md. Settings come from the environment (run.sh sets them):
  BENCH_QUICK=1             quick mode
  BENCH_REPS, BENCH_REPS_1000, BENCH_REPS_10000, BENCH_REPS_START, BENCH_REPS_STATUS
  BENCH_PEERS               space-separated subset of: dbmate alembic sqitch
  BENCH_ONLY                space-separated subset of workload ids (for debugging)
  BENCH_PROFILE=0           skip the profile section
"""

import datetime
import hashlib
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
RESULTS = BENCH / "results"
WORK = RESULTS / "work"
BIN = RESULTS / "bin"
LOGS = RESULTS / "logs"
RUNNER = RESULTS / "runner"
TOOLS = BENCH / ".tools"
DBMATE = TOOLS / "node_modules" / "@dbmate" / "linux-x64" / "bin" / "dbmate"
PY = "/usr/bin/python3"  # Debian's python3, where python3-alembic lives
QUICK = os.environ.get("BENCH_QUICK") == "1"


def env_int(name, default):
    value = os.environ.get(name, "")
    return int(value) if value.strip() else default


REPS = env_int("BENCH_REPS", 3 if QUICK else 5)
REPS_1000 = env_int("BENCH_REPS_1000", 1 if QUICK else 3)
REPS_10000 = env_int("BENCH_REPS_10000", 1)
REPS_START = env_int("BENCH_REPS_START", 10 if QUICK else 30)
REPS_STATUS = env_int("BENCH_REPS_STATUS", 5 if QUICK else 15)
# Slow peers run fewer rounds (vidb and the floor run every round): Alembic and
# Sqitch spend 0.5-2 s just starting, and Sqitch runs psql once per change, so
# its 1000-migration runs take minutes; dbmate's revert is one process per migration.
SLOW_REPS = env_int("BENCH_SLOW_REPS", 1 if QUICK else 2)           # 100-migration work
SLOW_REPS_1000 = env_int("BENCH_SLOW_REPS_1000", 0 if QUICK else 1)  # 1000-migration work (0: not run)
SLOW_REPS_READ = env_int("BENCH_SLOW_REPS_READ", 3 if QUICK else 5)  # start-up and status


def log(message):
    print(f"[bench] {message}", file=sys.stderr, flush=True)


def die(message):
    log(f"error: {message}")
    sys.exit(1)


# --------------------------------------------------------------------------
# Migration sets


def version_text(v):
    return f"{v:05d}"


def tables_set(n):
    return [
        (i, f"t_{i}", f"CREATE TABLE t_{i} (id bigint primary key, v text);\n", f"DROP TABLE t_{i};\n")
        for i in range(1, n + 1)
    ]


def data_set(n):
    rows = [(1, "d", "CREATE TABLE d (id bigint primary key, v text);\n", "DROP TABLE d;\n")]
    for i in range(1, n + 1):
        rows.append((i + 1, f"d_{i}", f"INSERT INTO d (id, v) VALUES ({i}, 'row {i}');\n", f"DELETE FROM d WHERE id = {i};\n"))
    return rows


def bigdata_set():
    values = ",\n".join(f"({i}, 'row {i} of the bulk load')" for i in range(1, 20001))
    return [
        (1, "big", "CREATE TABLE big (id bigint primary key, v text);\n", "DROP TABLE big;\n"),
        (2, "big_load", f"INSERT INTO big (id, v) VALUES\n{values};\nCREATE INDEX big_v_idx ON big (v);\n",
         "DROP INDEX big_v_idx;\nDELETE FROM big;\n"),
    ]


SETS = {
    "tables100": lambda: tables_set(100),
    "tables1000": lambda: tables_set(1000),
    "tables10000": lambda: tables_set(10000),
    "data1000": lambda: data_set(1000),
    "bigdata": bigdata_set,
}
SET_SIZE = {"tables100": 100, "tables1000": 1000, "tables10000": 10000, "data1000": 1001, "bigdata": 2}


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists() and path.read_text() == text:
        return  # keep mtimes: an unchanged folder does not re-embed
    path.write_text(text)


def sync_dir(directory, files):
    """Make directory hold exactly files (name -> text)."""
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        write(directory / name, text)
    for existing in directory.iterdir():
        if existing.is_file() and existing.name not in files:
            existing.unlink()


def sql_literal(text):
    return "'" + text.replace("'", "''") + "'"


HISTORY_DDL = (
    "CREATE TABLE vidb_schema_migrations (\n  version bigint PRIMARY KEY,\n  name text NOT NULL,\n"
    "  checksum text NOT NULL,\n  applied_at timestamptz NOT NULL DEFAULT now(),\n  execution_ms integer,\n"
    "  applied_by text\n);\n"
)


def generate_set(name):
    migrations = SETS[name]()
    base = WORK / name
    # vidb / golang-migrate layout
    files = {}
    for v, n, up, down in migrations:
        files[f"{version_text(v)}_{n}.up.sql"] = up
        files[f"{version_text(v)}_{n}.down.sql"] = down
    sync_dir(base / "vidb", files)
    # the floor: the same transactions and history rows, as psql -f runs them
    up = [HISTORY_DDL]
    for v, n, sql, _ in migrations:
        checksum = hashlib.sha256(sql.encode()).hexdigest()
        up.append(
            f"BEGIN;\nINSERT INTO vidb_schema_migrations (version, name, checksum, applied_by) VALUES "
            f"({v}, {sql_literal(n)}, {sql_literal(checksum)}, 'bench@localhost');\n{sql}COMMIT;\n"
        )
    write(base / "floor" / "up.sql", "".join(up))
    down = []
    for v, n, _, sql in reversed(migrations):
        down.append(f"BEGIN;\n{sql}DELETE FROM vidb_schema_migrations WHERE version = {v};\nCOMMIT;\n")
    write(base / "floor" / "revert.sql", "".join(down))
    write(
        base / "floor" / "status.sql",
        "SELECT to_regclass('vidb_schema_migrations') IS NOT NULL;\n"
        "SELECT version, name, checksum, applied_at, execution_ms, applied_by FROM vidb_schema_migrations ORDER BY version;\n",
    )
    write(base / "floor" / "status_empty.sql", "SELECT to_regclass('vidb_schema_migrations') IS NOT NULL;\n")
    if name == "tables10000":
        return  # scale only: vidb and the floor
    # dbmate
    files = {}
    for v, n, up_sql, down_sql in migrations:
        files[f"{version_text(v)}_{n}.sql"] = f"-- migrate:up\n{up_sql}\n-- migrate:down\n{down_sql}"
    sync_dir(base / "dbmate" / "migrations", files)
    # Alembic: one revision file per migration, op.execute, one transaction per migration
    alembic = base / "alembic"
    write(alembic / "alembic.ini", "[alembic]\nscript_location = %(here)s\n")
    write(
        alembic / "env.py",
        "import os\n"
        "from alembic import context\n"
        "from sqlalchemy import create_engine\n"
        "from sqlalchemy.pool import NullPool\n\n"
        "engine = create_engine(os.environ['BENCH_ALEMBIC_URL'], poolclass=NullPool)\n"
        "with engine.connect() as connection:\n"
        "    context.configure(connection=connection, target_metadata=None, transaction_per_migration=True)\n"
        "    with context.begin_transaction():\n"
        "        context.run_migrations()\n",
    )
    files = {}
    previous = None
    for v, n, up_sql, down_sql in migrations:
        rev = f"r{version_text(v)}"
        files[f"{rev}_{n}.py"] = (
            f"revision = {rev!r}\ndown_revision = {previous!r}\nbranch_labels = None\ndepends_on = None\n\n"
            "from alembic import op\n\n\n"
            f"def upgrade():\n    op.execute({up_sql!r})\n\n\n"
            f"def downgrade():\n    op.execute({down_sql!r})\n"
        )
        previous = rev
    sync_dir(alembic / "versions", files)
    # Sqitch: a plan, deploy and revert scripts (each script is its own transaction, as sqitch's templates do)
    sq = base / "sqitch"
    write(
        sq / "sqitch.conf",
        "[core]\n\tengine = pg\n\tplan_file = sqitch.plan\n\ttop_dir = .\n"
        "[engine \"pg\"]\n\tclient = psql\n"
        "[user]\n\tname = Bench\n\temail = bench@example.com\n",
    )
    plan = ["%syntax-version=1.0.0\n%project=bench\n\n"]
    deploy, revert = {}, {}
    for v, n, up_sql, down_sql in migrations:
        plan.append(f"{n} 2024-01-01T00:00:00Z Bench <bench@example.com> # {n}\n")
        deploy[f"{n}.sql"] = f"BEGIN;\n{up_sql}COMMIT;\n"
        revert[f"{n}.sql"] = f"BEGIN;\n{down_sql}COMMIT;\n"
    write(sq / "sqitch.plan", "".join(plan))
    sync_dir(sq / "deploy", deploy)
    sync_dir(sq / "revert", revert)


# --------------------------------------------------------------------------
# Building vidb


def sh(cmd, **kwargs):
    return subprocess.run(cmd, check=True, **kwargs)


def build_variant(build_dir, configure_args, migration_set, dest):
    """Re-point VIDB_MIGRATIONS_DIR and rebuild target vidb: only the embedded-data library is redone."""
    mdir = WORK / migration_set / "vidb"
    logfile = LOGS / "build.log"
    with open(logfile, "a") as out:
        sh(["cmake", "-S", str(ROOT), "-B", str(build_dir), *configure_args, f"-DVIDB_MIGRATIONS_DIR={mdir}"],
           stdout=out, stderr=subprocess.STDOUT)
        sh(["cmake", "--build", str(build_dir), "-j2", "--target", "vidb"], stdout=out, stderr=subprocess.STDOUT)
    shutil.copy2(build_dir / "vidb", dest)


def prepare():
    for d in (WORK, BIN, LOGS):
        d.mkdir(parents=True, exist_ok=True)
    for name in SETS:
        if QUICK and name == "tables10000":
            continue
        log(f"generating {name}")
        generate_set(name)
    if os.environ.get("BENCH_NO_BUILD") == "1":
        log("not building (--no-build): timing the binaries already in bench/results/bin")
        return
    variants = [("vidb", ROOT / "build-bench",
                 ["-DCMAKE_BUILD_TYPE=Release", "-DVIDB_BUILD_TESTS=OFF", "-DVIDB_WERROR=OFF"])]
    static_root = os.environ.get("BENCH_STATIC_LIBPQ", "")
    if static_root:
        variants.append(("vidbs", ROOT / "build-bench-static",
                         ["-DCMAKE_BUILD_TYPE=Release", "-DVIDB_BUILD_TESTS=OFF", "-DVIDB_WERROR=OFF", "-DVIDB_STATIC=ON",
                          f"-DVIDB_LIBPQ_ROOT={static_root}"]))
    for prefix, build_dir, args in variants:
        for name in SETS:
            if QUICK and name == "tables10000":
                continue
            if prefix == "vidbs" and name == "tables10000":
                continue
            log(f"building {prefix}_{name} in {build_dir.name} (first time compiles vidb: minutes)")
            t = time.monotonic()
            build_variant(build_dir, args, name, BIN / f"{prefix}_{name}")
            log(f"  done in {time.monotonic() - t:.0f} s")


# --------------------------------------------------------------------------
# Running


class Server:
    def __init__(self, env_file):
        self.vars = {}
        for line in Path(env_file).read_text().splitlines():
            key, _, value = line.partition("=")
            # values were written with printf %q; ours never need unquoting beyond this
            self.vars[key] = value.strip("'")
        self.port = self.vars["PGPORT_TEST"]
        self.password = self.vars["PG_PASSWORD"]
        self.socket = self.vars["PGHOST_SOCKET"]
        self.bindir = self.vars["PG_BINDIR"]
        self.psql = os.path.join(self.bindir, "psql")
        if not os.path.exists(self.psql):
            self.psql = shutil.which("psql")

    def url(self, db, scheme="postgresql"):
        return f"{scheme}://postgres:{self.password}@127.0.0.1:{self.port}/{db}"

    def admin(self, sql, db="postgres"):
        r = subprocess.run([self.psql, "-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", self.socket, "-p", self.port,
                            "-U", "postgres", "-d", db, "-c", sql], capture_output=True, text=True)
        if r.returncode != 0:
            die(f"psql admin failed: {sql}: {r.stderr.strip()}")
        return r.stdout.strip()

    def reset(self, db):
        self.admin(f"DROP DATABASE IF EXISTS {db} WITH (FORCE)")
        self.admin(f"CREATE DATABASE {db}")
        self.admin("CHECKPOINT")

    def settle(self):
        self.admin("CHECKPOINT")


def run_timed(argv, env, cwd, logname, n=1):
    """Run argv n times under the runner; returns [(ms, rss_kib, status, cpu_ms)]."""
    logfile = LOGS / f"{logname}.log"
    with open(logfile, "a") as f:
        f.write("\n=== " + re.sub(r"://([^:/@]+):[^@/]+@", r"://\1:***@", " ".join(map(str, argv))) + "\n")
    r = subprocess.run([str(RUNNER), "-n", str(n), "-l", str(logfile), "--", *map(str, argv)], env=env, cwd=cwd,
                       capture_output=True, text=True)
    if r.returncode not in (0, 1):
        die(f"runner failed: {r.stderr}")
    out = []
    for line in r.stdout.splitlines():
        us, rss, status, cpu = line.split()
        out.append((float(us) / 1000.0, int(rss), int(status), float(cpu) / 1000.0))
    return out


def base_env():
    env = {k: v for k, v in os.environ.items() if not k.startswith("PG") and k not in ("DATABASE_URL",)}
    env["LC_ALL"] = "C.UTF-8"
    env["NO_COLOR"] = "1"
    return env


class Tool:
    """One contender. Subclasses say how to reset, apply, revert, show status and start."""

    label = "?"
    kind = "peer"

    def __init__(self, server, key):
        self.server = server
        self.key = key
        self.db = f"bench_{key}"

    def env(self):
        return base_env()

    def check_applied(self, migration_set):
        """Sanity check after a run: the migrations' effect is there (else the timing would be meaningless)."""
        if migration_set.startswith("tables"):
            got = self.server.admin("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t_[0-9]+$'",
                                    db=self.db)
            return int(got) == SET_SIZE[migration_set]
        if migration_set == "data1000":
            return self.server.admin("SELECT count(*) FROM d", db=self.db) == "1000"
        if migration_set == "bigdata":
            return self.server.admin("SELECT count(*) FROM big", db=self.db) == "20000"
        return True

    def check_reverted(self, migration_set):
        got = self.server.admin("SELECT count(*) FROM pg_tables WHERE schemaname = 'public' AND tablename ~ '^t_[0-9]+$'",
                                db=self.db)
        return int(got) == 0


class Floor(Tool):
    label = "floor (psql -f)"
    kind = "floor"

    def psql(self, migration_set, file):
        return [self.server.psql, "-X", "-q", "-v", "ON_ERROR_STOP=1", "-d", self.server.url(self.db), "-f",
                WORK / migration_set / "floor" / file]

    def version(self):
        return [self.server.psql, "--version"]

    def up(self, s):
        return self.psql(s, "up.sql")

    def revert(self, s):
        return self.psql(s, "revert.sql")

    def status(self, s, applied):
        return self.psql(s, "status.sql" if applied else "status_empty.sql")

    def cwd(self, s):
        return WORK


class Baseline(Tool):
    """/bin/true: what spawning any process costs on this machine right now (the measurement's own floor)."""

    label = "exec baseline (/bin/true)"
    kind = "baseline"

    def version(self):
        return ["/bin/true"]

    def cwd(self, s):
        return WORK


class Vidb(Tool):
    kind = "vidb"

    def __init__(self, server, key, prefix, label):
        super().__init__(server, key)
        self.prefix = prefix
        self.label = label

    def binary(self, s):
        return BIN / f"{self.prefix}_{s}"

    def env(self):
        env = base_env()
        env["DATABASE_URL"] = self.server.url(self.db)
        return env

    def version(self):
        return [self.binary("tables100"), "--version"]

    def up(self, s):
        return [self.binary(s), "migrate"]

    def revert(self, s):
        return [self.binary(s), "revert", "--all"]

    def status(self, s, applied):
        return [self.binary(s), "status"]

    def cwd(self, s):
        return WORK  # no .env there


class Dbmate(Tool):
    label = "dbmate"

    def env(self):
        env = base_env()
        env["DATABASE_URL"] = self.server.url(self.db, "postgres") + "?sslmode=disable"
        return env

    def cmd(self, s, *args):
        return [DBMATE, "--no-dump-schema", "-d", WORK / s / "dbmate" / "migrations", *args]

    def version(self):
        return [DBMATE, "--version"]

    def up(self, s):
        return self.cmd(s, "migrate")

    def revert(self, s):
        # dbmate rolls back one migration per call: call it once per migration
        n = SET_SIZE[s]
        return ["/bin/sh", "-c", f'i=0; while [ $i -lt {n} ]; do "$@" || exit 1; i=$((i+1)); done', "sh",
                *map(str, self.cmd(s, "rollback"))]

    def status(self, s, applied):
        return self.cmd(s, "status")

    def cwd(self, s):
        return WORK / s / "dbmate"


class Alembic(Tool):
    label = "Alembic"

    def env(self):
        env = base_env()
        env["BENCH_ALEMBIC_URL"] = self.server.url(self.db, "postgresql+psycopg2")
        env.pop("PYTHONDONTWRITEBYTECODE", None)  # let Python cache the revision files' bytecode, as users' machines do
        return env

    def cmd(self, s, *args):
        return [PY, "-m", "alembic", "-c", WORK / s / "alembic" / "alembic.ini", *args]

    def version(self):
        return [PY, "-m", "alembic", "--version"]

    def up(self, s):
        return self.cmd(s, "upgrade", "head")

    def revert(self, s):
        return self.cmd(s, "downgrade", "base")

    def status(self, s, applied):
        return self.cmd(s, "current")

    def cwd(self, s):
        return WORK / s / "alembic"


class Sqitch(Tool):
    label = "Sqitch"

    def target(self):
        return f"db:pg://postgres@127.0.0.1:{self.server.port}/{self.db}"

    def env(self):
        env = base_env()
        env["SQITCH_PASSWORD"] = self.server.password
        env["PGPASSWORD"] = self.server.password
        return env

    def version(self):
        return ["sqitch", "--version"]

    def up(self, s):
        return ["sqitch", "deploy", self.target()]

    def revert(self, s):
        return ["sqitch", "revert", "-y", self.target()]

    def status(self, s, applied):
        return ["sqitch", "status", self.target()]

    def cwd(self, s):
        return WORK / s / "sqitch"


# --------------------------------------------------------------------------
# Workloads


def tools_for(server):
    tools = [Floor(server, "floor"), Vidb(server, "vidb", "vidb", "vidb")]
    if (BIN / "vidbs_tables100").exists():
        tools.append(Vidb(server, "vidbs", "vidbs", "vidb static"))
    peers = os.environ.get("BENCH_PEERS", "dbmate alembic sqitch").split()
    if "dbmate" in peers:
        tools.append(Dbmate(server, "dbmate"))
    if "alembic" in peers:
        tools.append(Alembic(server, "alembic"))
    if "sqitch" in peers:
        tools.append(Sqitch(server, "sqitch"))
    return tools


# id, title, kind, migration set, reps variable
WORKLOADS = [
    ("start", "cold start (`--version`)", "start", "tables100"),
    ("status100", "status, 100 pending", "status_pending", "tables100"),
    ("status1000", "status, 1000 applied", "status_applied", "tables1000"),
    ("up100", "migrate 100 tables", "up", "tables100"),
    ("up1000", "migrate 1000 tables", "up", "tables1000"),
    ("data1000", "migrate 1000 tiny data migrations", "up", "data1000"),
    ("revert100", "revert --all, 100 tables", "revert", "tables100"),
    ("revert1000", "revert --all, 1000 tables", "revert", "tables1000"),
    ("bigdata", "data migration: 20 000-row INSERT + index", "up", "bigdata"),
    # scale (vidb and the floor only)
    ("scale_status100", "status, 100 applied", "status_applied", "tables100"),
    ("scale_up10000", "migrate 10 000 tables", "up", "tables10000"),
    ("scale_status10000", "status, 10 000 applied", "status_applied", "tables10000"),
]


def reps_for(wid, kind, mset):
    if kind == "start":
        return REPS_START
    if kind.startswith("status"):
        return REPS_STATUS
    n = SET_SIZE[mset]
    if n >= 10000:
        return REPS_10000
    if n >= 1000:
        return REPS_1000
    return REPS


def run_workload(server, tools, wid, title, kind, mset, results):
    scale = wid.startswith("scale_")
    if scale:
        tools = [t for t in tools if t.kind == "floor" or (t.kind == "vidb" and t.binary(mset).exists())]
    if kind == "start":
        tools = [Baseline(server, "baseline")] + tools
        if (ROOT / "dist" / "vidb").exists():  # the shipped binary (the project's own migrations): start-up only
            dist = Vidb(server, "vidbdist", "vidbdist", "dist/vidb")
            dist.version = lambda: [ROOT / "dist" / "vidb", "--version"]
            tools.append(dist)
    reps = reps_for(wid, kind, mset)
    log(f"{wid}: {title} ({reps} rounds; {', '.join(t.label for t in tools)})")
    data = {t.key: {"label": t.label, "runs": [], "failed": None} for t in tools}
    big = SET_SIZE[mset] >= 1000 and kind != "start"

    def slow(t):
        return t.key in ("alembic", "sqitch") or (t.key == "dbmate" and kind == "revert")

    def rounds(t):
        if QUICK and big and t.kind == "peer":
            return 0
        if t.key == "sqitch" and big and wid != "up1000" and os.environ.get("BENCH_SQITCH_ALL") != "1":
            return 0  # minutes per run (it starts psql per change): migrate 1000 is enough to show it
        if not slow(t):
            return reps
        if kind in ("start", "status_pending", "status_applied"):
            return min(reps, SLOW_REPS_READ)
        return min(reps, SLOW_REPS_1000 if big else SLOW_REPS)

    for t in tools:
        if rounds(t) == 0:
            data[t.key]["failed"] = None
            data[t.key]["skipped"] = ("not run in --quick mode" if QUICK else
                                      "not run (takes minutes; BENCH_SQITCH_ALL=1 runs it)" if t.key == "sqitch" else
                                      "not run (BENCH_SLOW_REPS_1000=0)")
    tools = [t for t in tools if rounds(t) > 0]

    def record(tool, runs):
        entry = data[tool.key]
        for ms, rss, status, cpu in runs:
            if status != 0 and not (kind == "status_pending" and tool.key == "sqitch"):
                entry["failed"] = f"exit status {status} (see bench/results/logs/{wid}.log)"
                log(f"  {tool.label}: failed with exit status {status}")
                return False
            entry["runs"].append([ms, rss, cpu])
        return True

    # Read-only workloads: set each tool's database up once, then alternate runs.
    if kind in ("start", "status_pending", "status_applied"):
        for t in tools:
            if kind == "start":
                continue
            server.reset(t.db)
            if kind == "status_applied":
                r = run_timed(t.up(mset), t.env(), t.cwd(mset), f"{wid}-setup")
                if r[0][2] != 0 or not t.check_applied(mset):
                    data[t.key]["failed"] = "setup (its own migrate) failed"
                    log(f"  {t.label}: setup failed")
                    continue
            # warm-up, untimed: page cache, Python bytecode caches
            run_timed(t.version() if kind == "start" else t.status(mset, kind == "status_applied"), t.env(),
                      t.cwd(mset), f"{wid}-warmup")
        server.settle()
        for rnd in range(reps):
            order = tools[rnd % len(tools):] + tools[:rnd % len(tools)]
            for t in order:
                if data[t.key]["failed"] or rnd >= rounds(t):
                    continue
                argv = t.version() if kind == "start" else t.status(mset, kind == "status_applied")
                record(t, run_timed(argv, t.env(), t.cwd(mset), wid))
        results[wid] = {"title": title, "kind": kind, "set": mset, "n": SET_SIZE[mset], "tools": data}
        return

    # Mutating workloads: reset before every run.
    for t in tools:  # warm-up: page cache (and bytecode caches); the run itself is not timed
        run_timed(t.version(), t.env(), t.cwd(mset), f"{wid}-warmup")
    for rnd in range(reps):
        order = tools[rnd % len(tools):] + tools[:rnd % len(tools)]
        for t in order:
            if data[t.key]["failed"]:
                continue
            if rnd >= rounds(t):
                continue
            server.reset(t.db)
            if kind == "revert":
                r = run_timed(t.up(mset), t.env(), t.cwd(mset), f"{wid}-setup")
                if r[0][2] != 0 or not t.check_applied(mset):
                    data[t.key]["failed"] = "setup (its own migrate) failed"
                    log(f"  {t.label}: setup failed")
                    continue
                server.settle()
                ok = record(t, run_timed(t.revert(mset), t.env(), t.cwd(mset), wid))
                if ok and rnd == 0 and not t.check_reverted(mset):
                    data[t.key]["failed"] = "ran, but the tables are still there"
            else:
                ok = record(t, run_timed(t.up(mset), t.env(), t.cwd(mset), wid))
                if ok and rnd == 0 and not t.check_applied(mset):
                    data[t.key]["failed"] = "ran, but the migrations' effect is missing"
                    log(f"  {t.label}: ran, but the migrations' effect is missing")
        log("  round %d: %s" % (rnd + 1, ", ".join(
            f"{t.label} {data[t.key]['runs'][-1][0]:.0f} ms" for t in tools if data[t.key]["runs"])))
    for t in tools:
        server.reset(t.db)
    results[wid] = {"title": title, "kind": kind, "set": mset, "n": SET_SIZE[mset], "tools": data}


# --------------------------------------------------------------------------
# Facts about the machine and the tools


def capture(cmd, **kw):
    try:
        r = subprocess.run(cmd, capture_output=True, text=True, timeout=60, **kw)
        return (r.stdout + r.stderr).strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def dpkg_closure_mib(*packages):
    """Installed size of Debian packages and all they pull in, minus the essential/required base system (libc, perl-base...)."""
    out = capture(["apt-cache", "depends", "--recurse", "--no-recommends", "--no-suggests", "--no-conflicts", "--no-breaks",
                   "--no-replaces", "--no-enhances", "--installed", *packages])
    names = sorted({line.strip() for line in out.splitlines() if line and not line.startswith((" ", "<"))})
    if not names:
        return None
    fmt = "${Package}\t${Installed-Size}\t${Priority}\t${Essential}\t${db:Status-Status}\n"
    out = capture(["dpkg-query", "-W", f"-f={fmt}", *names])
    kib = 0
    for line in out.splitlines():
        parts = line.split("\t")
        if len(parts) != 5 or parts[4] != "installed" or parts[2] == "required" or parts[3] == "yes":
            continue
        kib += int(parts[1] or 0)
    return kib / 1024.0


def machine_facts(server):
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    mem_kib = int(re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text()).group(1))
    return {
        "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": mem_kib / 1024 / 1024,
        "kernel": platform.release(),
        "os": capture(["sh", "-c", ". /etc/os-release && echo $PRETTY_NAME"]),
        "postgres": server.admin("SHOW server_version"),
        "pg_settings": server.admin(
            "SELECT string_agg(name || '=' || setting || coalesce(unit, ''), ', ' ORDER BY name) FROM pg_settings WHERE name IN "
            "('fsync','synchronous_commit','full_page_writes','wal_sync_method','shared_buffers','password_encryption')"),
        "loadavg_start": Path("/proc/loadavg").read_text().split()[:3],
    }


def tool_facts(server):
    facts = {}
    facts["vidb"] = capture([BIN / "vidb_tables100", "--version"]).splitlines()[:2]
    if (BIN / "vidbs_tables100").exists():
        facts["vidb static"] = capture([BIN / "vidbs_tables100", "--version"]).splitlines()[:2]
    facts["psql"] = capture([server.psql, "--version"])
    if DBMATE.exists():
        facts["dbmate"] = capture([DBMATE, "--version"])
    facts["Alembic"] = capture([PY, "-c", "import alembic, sqlalchemy, psycopg2, sys; print('Alembic', alembic.__version__, "
                                         "'/ SQLAlchemy', sqlalchemy.__version__, '/ psycopg2', psycopg2.__version__.split()[0], "
                                         "'/ Python', sys.version.split()[0])"])
    facts["Sqitch"] = capture(["sqitch", "--version"]) + " / DBD::Pg " + capture(
        ["perl", "-MDBD::Pg", "-e", "print $DBD::Pg::VERSION"])
    return facts


def sizes():
    out = []

    def add(what, path, note=""):
        p = Path(path)
        if p.exists():
            out.append((what, p.stat().st_size / 1048576.0, note))

    add("vidb (bench build, Release, dynamic, not stripped)", BIN / "vidb_tables100", "+ libpq, libssl, libcrypto, libfmt, libstdc++ from the system")
    stripped = RESULTS / "vidb_stripped"
    if (BIN / "vidb_tables100").exists():
        shutil.copy2(BIN / "vidb_tables100", stripped)
        subprocess.run(["strip", str(stripped)], check=False)
        add("vidb (bench build, stripped)", stripped, "same, symbols removed")
    if (BIN / "vidbs_tables100").exists():
        add("vidb static (bench build, 100 migrations embedded)", BIN / "vidbs_tables100", "fully static: nothing else needed")
    dist = ROOT / "dist" / "vidb"
    if dist.exists():
        add("dist/vidb (scripts/build-static.sh)", dist, "fully static, stripped: the shipped binary")
    add("dbmate", DBMATE, "static Go binary")
    alembic = dpkg_closure_mib("python3-alembic", "python3-psycopg2")
    if alembic:
        out.append(("Alembic (python3-alembic, python3-psycopg2 and what they pull in: Python, SQLAlchemy, Mako...)", alembic,
                    "Debian Installed-Size of the dependency closure, less the required base system"))
    sqitch = dpkg_closure_mib("sqitch", "libdbd-pg-perl")
    if sqitch:
        out.append(("Sqitch (sqitch, libdbd-pg-perl and what they pull in: Perl modules, psql...)", sqitch,
                    "Debian Installed-Size of the dependency closure, less the required base system"))
    return out


# --------------------------------------------------------------------------
# Profiles (what run.sh collects to explain a missed target)


def profiles(server):
    prof = {}
    vidb = Vidb(server, "vidb", "vidb", "vidb")
    env = vidb.env()
    cwd = WORK
    # 1. Round trips: the server's count of statements, and the client's socket syscalls.
    if shutil.which("strace"):
        for wid, argv, setup in (
            ("migrate 100", vidb.up("tables100"), None),
            ("status, 100 applied", vidb.status("tables100", True), "tables100"),
            ("revert --all 100", vidb.revert("tables100"), "tables100"),
        ):
            server.reset(vidb.db)
            if setup:
                run_timed(vidb.up(setup), env, cwd, "profile-setup")
            out = RESULTS / "strace.txt"
            subprocess.run(["strace", "-f", "-c", "-o", str(out), *map(str, argv)], env=env, cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            calls = {}
            for line in out.read_text().splitlines():
                parts = line.split()
                if len(parts) >= 5 and parts[-1].isidentifier() and parts[3].isdigit():
                    calls[parts[-1]] = int(parts[3])
            prof[f"syscalls: {wid}"] = calls
        # libpq's sendto per query: count the queries vidb sends for migrate 100
        server.reset(vidb.db)
        out = RESULTS / "strace-sendto.txt"
        subprocess.run(["strace", "-f", "-e", "trace=sendto", "-s", "200", "-o", str(out), *map(str, vidb.up("tables100"))],
                       env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        lines = [l for l in out.read_text().splitlines() if "sendto(" in l]
        prof["sendto: migrate 100"] = [len(lines), [re.sub(r"^\d+\s+", "", l)[:160] for l in lines[:14]]]
    # 2. Start-up: perf stat and the dynamic loader's own statistics.
    if shutil.which("perf"):
        r = subprocess.run(["perf", "stat", "-r", "50", "-e", "task-clock,page-faults,instructions",
                            str(BIN / "vidb_tables100"), "--version"], capture_output=True, text=True, cwd=cwd, env=env)
        prof["perf stat: vidb --version (dynamic)"] = [l.strip() for l in r.stderr.splitlines() if l.strip()][-8:]
        if (BIN / "vidbs_tables100").exists():
            r = subprocess.run(["perf", "stat", "-r", "50", "-e", "task-clock,page-faults,instructions",
                                str(BIN / "vidbs_tables100"), "--version"], capture_output=True, text=True, cwd=cwd, env=env)
            prof["perf stat: vidb --version (static)"] = [l.strip() for l in r.stderr.splitlines() if l.strip()][-8:]
    r = subprocess.run([str(BIN / "vidb_tables100"), "--version"], capture_output=True, text=True, cwd=cwd,
                       env={**env, "LD_DEBUG": "statistics"})
    prof["LD_DEBUG=statistics: vidb --version"] = [re.sub(r"^\s*\d+:\s*", "", l) for l in r.stderr.splitlines()
                                                    if "time" in l or "relocations" in l or "objects" in l][:8]
    # SCRAM's client-side cost (see analysis.md): libpq 15's HMAC loop against the same with the key set once
    sc = RESULTS / "scram_cost"
    if subprocess.run(["cc", "-O2", "-o", str(sc), str(BENCH / "tools" / "scram_cost.c"), "-lcrypto"],
                      capture_output=True).returncode == 0:
        prof["bench/tools/scram_cost.c: PBKDF2 of SCRAM-SHA-256 per connection"] = capture([str(sc)]).splitlines()
    libs = capture(["ldd", str(BIN / "vidb_tables100")]).splitlines()
    prof["ldd: vidb"] = [l.strip().split(" (")[0] for l in libs]
    # 3. CPU: callgrind of status with 1000 applied (where does vidb's own time go?)
    if shutil.which("valgrind"):
        server.reset(vidb.db)
        run_timed(vidb.up("tables1000"), env, cwd, "profile-setup")
        for what, argv in (("status, 1000 applied", vidb.status("tables1000", True)),
                           ("--version", [BIN / "vidb_tables100", "--version"])):
            cg = RESULTS / "callgrind.out"
            subprocess.run(["valgrind", "--tool=callgrind", f"--callgrind-out-file={cg}", *map(str, argv)], env=env, cwd=cwd,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            ann = capture(["callgrind_annotate", "--inclusive=yes", str(cg)])
            top = []
            total = ""
            for line in ann.splitlines():
                if "PROGRAM TOTALS" in line:
                    total = line.strip()
                m = re.match(r"\s*([\d,]+)\s+\(\s*([\d.]+)%\)\s+(.*)", line)
                if m and re.search(r"PROGRAM TOTALS|below main|libc-start|\?\?\?:main |run_callback|_M_invoke|"
                                   r"\?\?\?:0x0|::operator\(\)\(\) const|_dl_sysdep_start|rtld.c:_dl_start", m.group(3)):
                    continue
                if m and len(top) < 24:
                    top.append(f"{m.group(2):>6}%  {m.group(3)[:150]}")
            prof[f"callgrind (inclusive Ir): vidb {what}"] = [total] + top
        # 4. Memory: massif peak for migrate 1000
        server.reset(vidb.db)
        ms = RESULTS / "massif.out"
        subprocess.run(["valgrind", "--tool=massif", f"--massif-out-file={ms}", *map(str, vidb.up("tables1000"))], env=env,
                       cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        peak = 0
        if ms.exists():
            for m in re.finditer(r"mem_heap_B=(\d+)\nmem_heap_extra_B=(\d+)", ms.read_text()):
                peak = max(peak, int(m.group(1)) + int(m.group(2)))
        prof["massif: vidb migrate 1000, peak heap"] = f"{peak / 1048576:.2f} MiB"
        server.reset(vidb.db)
    return prof


# --------------------------------------------------------------------------
# Report


def summarize(runs):
    ms = [r[0] for r in runs]
    rss = [r[1] for r in runs]
    cpu = [r[2] for r in runs]
    return {"median": statistics.median(ms), "min": min(ms), "max": max(ms), "n": len(ms), "rss": max(rss),
            "cpu": statistics.median(cpu)}


def paired(runs, floor_runs):
    """Median over rounds of (tool's run / floor's run in the same round): the two ran seconds apart, so a slow
    spell of the shared disk or CPU hits both; steadier than a ratio of medians when rounds are few."""
    ratios = [a[0] / b[0] for a, b in zip(runs, floor_runs)]
    return statistics.median(ratios) if ratios else None


def fmt_ms(v):
    if v < 1:
        return f"{v * 1000:.0f} µs"
    if v < 10:
        return f"{v:.2f} ms"
    if v < 100:
        return f"{v:.1f} ms"
    return f"{v:.0f} ms"


def fmt_mib(kib):
    return f"{kib / 1024:.1f} MiB"


def report(results, facts, toolfacts, size_rows, prof, elapsed, mode):
    lines = []
    p = lines.append
    p("# vidb benchmark results")
    p("")
    p(f"Written by `bench/run.sh{' --quick' if mode == 'quick' else ''}` on {facts['date']} in {elapsed / 60:.1f} min. "
      "Do not edit by hand: run `bench/run.sh` again (see [README.md](README.md)).")
    p("")
    p("## Machine")
    p("")
    p(f"- CPU: {facts['cpu']}, nproc {facts['nproc']}; memory {facts['memory_gib']:.1f} GiB; {facts['os']}, "
      f"Linux {facts['kernel']}")
    p(f"- load average when the run started: {' '.join(facts['loadavg_start'])}; when it ended: "
      f"{' '.join(facts['loadavg_end'])} (the machine is shared: other builds add noise; runs alternate, so ratios stay fair)")
    p(f"- PostgreSQL {facts['postgres']}, a throwaway cluster on 127.0.0.1 (TCP, scram-sha-256 password), {facts['pg_settings']}")
    p("- Tools:")
    for name, value in toolfacts.items():
        if isinstance(value, list):
            value = "; ".join(value)
        p(f"  - {name}: {value}")
    p("")
    p("## What the numbers mean")
    p("")
    p("- **time**: wall-clock time of one process run, from spawn to exit (measured by `bench/tools/runner.c`: "
      "`CLOCK_MONOTONIC` around vfork/exec/wait4, so no shell or `time` process is inside the interval). "
      "**median** of the rounds, and **min–max** over them.")
    p("- **the floor**: `psql -X -q -v ON_ERROR_STOP=1 -f FILE` in one session over the same TCP connection, running the "
      "same work with no tool around it: it creates the history table (vidb's columns), then for each migration "
      "`BEGIN; INSERT INTO vidb_schema_migrations ...; <the migration's SQL>; COMMIT;` (revert: "
      "`BEGIN; <down SQL>; DELETE FROM vidb_schema_migrations WHERE version = V; COMMIT;`; status: the history `SELECT`; "
      "cold start: `psql --version`). psql sends each statement as its own query, so the floor makes 4 round trips per "
      "migration where vidb makes 1; both pay one fsync'd commit per migration, which is most of the time.")
    p("- **× floor**: the tool's median divided by the floor's median on the same work: 1.00 = no overhead of its own; "
      "1.25 = 25 % more time than the bare SQL needs. Below 1 is possible (fewer round trips than psql).")
    p("- **CPU**: user + system CPU time of the process (and the children it waited for), from wait4: what the tool "
      "itself costs, little affected by other load on the machine, unlike wall time.")
    p("- **peak RSS**: the largest `ru_maxrss` over the rounds (what GNU `time -f %M` prints; for Sqitch it includes "
      "the `psql` it runs per change, for dbmate's revert the largest single call).")
    p("- Every run of a migrate or revert workload starts from a fresh database (`DROP DATABASE ... WITH (FORCE)`, "
      "`CREATE DATABASE`, `CHECKPOINT`); the revert's own setup (the tool's `migrate`) is not timed. "
      "Status runs read a database set up once per tool. Rounds alternate the tools (the order rotates each round).")
    p("- Peers, run the way their docs say, doing the same work: dbmate `--no-dump-schema migrate` / `rollback` (one "
      "migration per call, so `revert --all` is N calls) / `status`; Alembic `upgrade head` / `downgrade base` / `current` "
      "with one revision file per migration (`op.execute`) and `transaction_per_migration=True`; Sqitch `deploy` / "
      "`revert -y` / `status` with one change per migration, each script wrapped in `BEGIN`/`COMMIT` as sqitch's templates do.")
    p(f"- Rounds: {REPS_START} for start-up, {REPS_STATUS} for status, {REPS} for 100-migration work, {REPS_1000} for "
      f"1000, {REPS_10000} for 10 000; the slow peers (Alembic, Sqitch, and dbmate's one-call-per-migration revert) "
      f"run at most {SLOW_REPS_READ} rounds of start-up and status, {SLOW_REPS} of 100-migration work and "
      f"{SLOW_REPS_1000} of 1000-migration work.")
    p("")

    main = [w for w in WORKLOADS if not w[0].startswith("scale_") and w[0] in results]
    labels = []
    for w in main:
        for key, t in results[w[0]]["tools"].items():
            if key != "baseline" and (key, t["label"]) not in labels:
                labels.append((key, t["label"]))

    def cell(wid, key, with_ratio=True):
        r = results[wid]["tools"].get(key)
        if r is None:
            return "—"
        if r["failed"]:
            return f"failed: {r['failed']}"
        if r.get("skipped"):
            return "not run"
        if not r["runs"]:
            return "—"
        s = summarize(r["runs"])
        text = fmt_ms(s["median"])
        floor = results[wid]["tools"].get("floor")
        if with_ratio and key != "floor" and floor and floor["runs"] and not floor["failed"]:
            text += f" ({paired(r['runs'], floor['runs']):.2f}×)"
        return text

    p("## Summary (median time, and × floor: the median over rounds of the tool's time over the floor's in the same round)")
    p("")
    p("| work | " + " | ".join(label for _, label in labels) + " |")
    p("|---|" + "---|" * len(labels))
    for wid, title, kind, mset in main:
        p(f"| {title} | " + " | ".join(cell(wid, key) for key, _ in labels) + " |")
    # peak RSS row for up1000
    for wid in ("up1000",):
        if wid in results:
            row = []
            for key, _ in labels:
                r = results[wid]["tools"].get(key)
                row.append(fmt_mib(summarize(r["runs"])["rss"]) if r and r["runs"] and not r["failed"] else "—")
            p(f"| peak RSS, migrate 1000 | " + " | ".join(row) + " |")
    p("")
    p("## Every workload")
    p("")
    p("| work | tool | median | min–max | × floor (paired) | × floor (medians) | × floor (best) | CPU (median) | peak RSS | rounds |")
    p("|---|---|---|---|---|---|---|---|---|---|")
    for wid, title, kind, mset in main:
        floor = results[wid]["tools"].get("floor")
        fmed = summarize(floor["runs"])["median"] if floor and floor["runs"] and not floor["failed"] else None
        fmin = summarize(floor["runs"])["min"] if fmed else None
        for key, r in results[wid]["tools"].items():
            if r["failed"]:
                p(f"| {title} | {r['label']} | failed: {r['failed']} | | | | | | | |")
                continue
            if r.get("skipped"):
                p(f"| {title} | {r['label']} | {r['skipped']} | | | | | | | |")
                continue
            if not r["runs"]:
                continue
            s = summarize(r["runs"])
            ratio = f"{s['median'] / fmed:.2f}×" if fmed and key not in ("floor", "baseline") else ("1.00×" if key == "floor" else "")
            best = f"{s['min'] / fmin:.2f}×" if fmin and key not in ("floor", "baseline") else ("1.00×" if key == "floor" else "")
            pr = f"{paired(r['runs'], floor['runs']):.2f}×" if fmed and key not in ("floor", "baseline") else ratio
            p(f"| {title} | {r['label']} | {fmt_ms(s['median'])} | {fmt_ms(s['min'])} – {fmt_ms(s['max'])} | {pr} | {ratio} | "
              f"{best} | {fmt_ms(s['cpu'])} | {fmt_mib(s['rss'])} | {s['n']} |")
    p("")

    # Targets
    p("## Targets (measured here, never asserted in tests)")
    p("")
    p("Ratios are judged on the paired ratio (median over rounds of tool/floor in the same round), with the ratio of "
      "the best runs beside it; times on the median and the best run.")
    p("")
    p("| target | paired / median | met | best run | met |")
    p("|---|---|---|---|---|")
    targets = []

    def ratio_of(wid, key="vidb", stat="median"):
        if wid not in results:
            return None
        r, f = results[wid]["tools"].get(key), results[wid]["tools"].get("floor")
        if not r or not f or not r["runs"] or not f["runs"] or r["failed"] or f["failed"]:
            return None
        if stat == "paired":
            return paired(r["runs"], f["runs"])
        return summarize(r["runs"])[stat] / summarize(f["runs"])[stat]

    def med(wid, key="vidb", stat="median"):
        if wid not in results:
            return None
        r = results[wid]["tools"].get(key)
        if not r or not r["runs"] or r["failed"]:
            return None
        return summarize(r["runs"])[stat]

    vkeys = [k for k in ("vidb", "vidbs") if any(k in results[w]["tools"] for w in results)]
    for key in vkeys:
        name = "vidb" if key == "vidb" else "vidb static"
        for wid, limit, what in (("up1000", 1.05, "migrate 1000 ≤ 1.05× floor"), ("up100", 1.15, "migrate 100 ≤ 1.15× floor"),
                                 ("data1000", 1.25, "1000 tiny data migrations ≤ 1.25× floor"),
                                 ("revert100", 1.2, "revert --all 100 ≤ 1.2× floor"),
                                 ("revert1000", 1.2, "revert --all 1000 ≤ 1.2× floor")):
            v, b = ratio_of(wid, key, "paired"), ratio_of(wid, key, "min")
            if v is not None:
                targets.append((f"{name}: {what}", f"{v:.3f}×", v <= limit, f"{b:.3f}×", b <= limit))
        for wid, what in (("status100", "status (100 pending) < 5 ms"), ("status1000", "status (1000 applied) < 5 ms")):
            v, b = med(wid, key), med(wid, key, "min")
            if v is not None:
                targets.append((f"{name}: {what}", fmt_ms(v), v < 5, fmt_ms(b), b < 5))
        v, b = med("start", key), med("start", key, "min")
        if v is not None:
            targets.append((f"{name}: start-up (`--version`) < 1 ms", fmt_ms(v), v < 1, fmt_ms(b), b < 1))
        peak = 0
        where = ""
        for wid in results:
            r = results[wid]["tools"].get(key)
            if r and r["runs"]:
                s = summarize(r["runs"])
                if s["rss"] > peak:
                    peak, where = s["rss"], results[wid]["title"]
        if peak:
            targets.append((f"{name}: peak RSS < 8 MiB (largest over every workload)", f"{fmt_mib(peak)} ({where})",
                            peak < 8 * 1024, "", None))
    v, b = med("start", "vidbdist"), med("start", "vidbdist", "min")
    if v is not None:
        targets.append(("dist/vidb: start-up (`--version`) < 1 ms", fmt_ms(v), v < 1, fmt_ms(b), b < 1))
        base = med("start", "baseline")
        if base is not None:
            targets.append(("dist/vidb: start-up above the exec baseline (`/bin/true`, same rounds)", fmt_ms(v - base), v - base < 1,
                            "", None))
    dist = ROOT / "dist" / "vidb"
    if dist.exists():
        sz = dist.stat().st_size
        targets.append(("static binary (dist/vidb) < 8 MiB", f"{sz / 1048576:.2f} MiB", sz < 8 * 1048576, "", None))
    elif (BIN / "vidbs_tables100").exists():
        sz = (BIN / "vidbs_tables100").stat().st_size
        big = max((f for f in BIN.glob("vidbs_*")), key=lambda f: f.stat().st_size)
        targets.append(("static binary < 8 MiB (bench static builds, Release, stripped; dist/vidb not built)",
                        f"{sz / 1048576:.2f} MiB with 100 migrations, {big.stat().st_size / 1048576:.2f} MiB with "
                        f"{SET_SIZE[big.name.split('_', 1)[1]]} ({big.name})", big.stat().st_size < 8 * 1048576, "", None))
    else:
        targets.append(("static binary < 8 MiB", "not measured: dist/vidb does not exist (run `make static`)", None, "", None))

    def yes(ok):
        return "yes" if ok else ("no" if ok is not None else "")

    for what, value, ok, best, best_ok in targets:
        p(f"| {what} | {value} | {yes(ok)} | {best} | {yes(best_ok)} |")
    p("")

    # Scale
    p("## Scale: time per migration")
    p("")
    p("Linear growth shows as a flat time per migration (and a flat increment between sizes).")
    p("")
    p("| work | migrations | vidb median | per migration | increment per added migration | vidb best | best per migration "
      "| floor median | × floor (medians) |")
    p("|---|---|---|---|---|---|---|---|---|")
    for label, rows in (("migrate", (("up100", 100), ("up1000", 1000), ("scale_up10000", 10000))),
                        ("status (all applied)", (("scale_status100", 100), ("status1000", 1000), ("scale_status10000", 10000)))):
        prev = None
        for wid, n in rows:
            v = med(wid)
            if v is None:
                continue
            f = med(wid, "floor")
            b = med(wid, "vidb", "min")
            inc = fmt_ms((v - prev[1]) / (n - prev[0])) if prev else ""
            p(f"| {label} | {n} | {fmt_ms(v)} | {fmt_ms(v / n)} | {inc} | {fmt_ms(b)} | {fmt_ms(b / n)} | "
              + (f"{fmt_ms(f)} | {(v / f):.2f}× |" if f else "— | |"))
            prev = (n, v)
    p("")

    p("## Size on disk")
    p("")
    p("| what | size | note |")
    p("|---|---|---|")
    for what, mib, note in size_rows:
        p(f"| {what} | {mib:.1f} MiB | {note} |")
    if not (ROOT / "dist" / "vidb").exists():
        p("")
        p("dist/vidb did not exist when this ran (`make static` / `scripts/build-static.sh` makes it); "
          "its size and timings are missing above.")
    p("")

    packed = BENCH / "pack.md"  # written by bench/pack.sh (packed vs compiled in)
    if packed.exists():
        p(packed.read_text().rstrip())
        p("")

    if prof:
        p("## Profiles (collected by run.sh)")
        p("")
        for what, value in prof.items():
            p(f"**{what}**")
            p("")
            if isinstance(value, dict):
                p("```")
                for k, v in sorted(value.items(), key=lambda kv: -kv[1])[:12]:
                    p(f"{v:>8}  {k}")
                p("```")
            elif isinstance(value, list) and value and isinstance(value[0], int):
                p(f"{value[0]} `sendto` calls (one per message batch libpq flushes); the first ones:")
                p("")
                p("```")
                for l in value[1]:
                    p(l)
                p("```")
            elif isinstance(value, list):
                p("```")
                for l in value:
                    p(str(l))
                p("```")
            else:
                p(str(value))
            p("")

    analysis = BENCH / "analysis.md"
    if analysis.exists():
        p(analysis.read_text().rstrip())
        p("")
    # The section bench/schema_dump.sh writes stays until that script runs again.
    results = BENCH / "RESULTS.md"
    kept = re.search(r"<!-- schema-dump:begin.*?<!-- schema-dump:end -->", results.read_text(), re.S) if results.exists() else None
    if kept:
        p(kept.group(0))
        p("")
    results.write_text("\n".join(lines) + "\n")


def run():
    env_file = os.environ.get("BENCH_PG_ENV")
    if not env_file:
        die("BENCH_PG_ENV is not set (run bench/run.sh)")
    server = Server(env_file)
    LOGS.mkdir(parents=True, exist_ok=True)
    for f in LOGS.glob("*.log"):
        if f.name != "build.log":
            f.unlink()
    started = time.monotonic()
    facts = machine_facts(server)
    tools = tools_for(server)
    only = os.environ.get("BENCH_ONLY", "").split()
    results = {}
    raw = RESULTS / "raw.json"
    for wid, title, kind, mset in WORKLOADS:
        if only and wid not in only:
            continue
        if QUICK and wid in ("scale_up10000", "scale_status10000", "scale_status100", "status1000", "revert1000"):
            continue
        if not (BIN / f"vidb_{mset}").exists():
            log(f"{wid}: skipped (no vidb built for {mset})")
            continue
        t = time.monotonic()
        run_workload(server, tools, wid, title, kind, mset, results)
        log(f"  {wid} took {time.monotonic() - t:.0f} s")
        raw.write_text(json.dumps(results, indent=1))
    prof = {}
    if os.environ.get("BENCH_PROFILE", "1") != "0" and not QUICK:
        log("profiles (strace, perf stat, callgrind, massif)")
        prof = profiles(server)
    facts["loadavg_end"] = Path("/proc/loadavg").read_text().split()[:3]
    elapsed = time.monotonic() - started
    saved = {"results": results, "facts": facts, "toolfacts": tool_facts(server), "sizes": sizes(), "profiles": prof,
             "elapsed": elapsed, "mode": "quick" if QUICK else "full",
             "settings": {"REPS": REPS, "REPS_1000": REPS_1000, "REPS_10000": REPS_10000, "REPS_START": REPS_START,
                          "REPS_STATUS": REPS_STATUS, "SLOW_REPS": SLOW_REPS, "SLOW_REPS_1000": SLOW_REPS_1000,
                          "SLOW_REPS_READ": SLOW_REPS_READ}}
    (RESULTS / "run.json").write_text(json.dumps(saved, indent=1))
    render(saved)
    log(f"wrote bench/RESULTS.md ({elapsed / 60:.1f} min of benchmarks)")


def render(saved):
    global REPS, REPS_1000, REPS_10000, REPS_START, REPS_STATUS, SLOW_REPS, SLOW_REPS_1000, SLOW_REPS_READ
    st = saved.get("settings", {})
    REPS, REPS_1000, REPS_10000 = st.get("REPS", REPS), st.get("REPS_1000", REPS_1000), st.get("REPS_10000", REPS_10000)
    REPS_START, REPS_STATUS = st.get("REPS_START", REPS_START), st.get("REPS_STATUS", REPS_STATUS)
    SLOW_REPS, SLOW_REPS_1000 = st.get("SLOW_REPS", SLOW_REPS), st.get("SLOW_REPS_1000", SLOW_REPS_1000)
    SLOW_REPS_READ = st.get("SLOW_REPS_READ", SLOW_REPS_READ)
    report(saved["results"], saved["facts"], saved["toolfacts"], saved["sizes"], saved["profiles"], saved["elapsed"],
           saved["mode"])


def main():
    if len(sys.argv) != 2 or sys.argv[1] not in ("prepare", "run", "report"):
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    if sys.argv[1] == "prepare":
        prepare()
    elif sys.argv[1] == "run":
        run()
    else:  # report: render RESULTS.md again from the last run (after editing analysis.md)
        render(json.loads((RESULTS / "run.json").read_text()))


if __name__ == "__main__":
    main()
