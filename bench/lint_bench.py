#!/usr/bin/env python3
"""Time `vidb lint` over a 150-file migration corpus (issue 14, item 7).

    bench/lint_bench.py [VIDB] [--rounds N]

The corpus (bench/results/lint150/, regenerated each run) is the two pg_dump
baselines of tests/fixtures (real pg_dump 15 output: 1 file each) plus 148 migrations
written the way application teams write them: tables with keys, foreign keys and
defaults, indexes (plain and CONCURRENTLY in no-transaction files), column additions and
backfills, PL/pgSQL functions and triggers, views, enum changes, comments and grants.
Prints the Markdown section that bench/analysis.md keeps ("vidb lint").
"""
import pathlib
import os
import random
import resource
import shutil
import statistics
import subprocess
import sys
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / "results" / "lint150"


def migration(i, rng):
    t = f"t_{i}"
    parts = []
    kind = i % 6
    if kind == 0:
        parts.append(f"CREATE TABLE {t} (\n    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,\n"
                     f"    account_id bigint NOT NULL REFERENCES t_{max(1, i - 6)} (id),\n"
                     "    name text NOT NULL,\n    status text NOT NULL DEFAULT 'new',\n"
                     "    payload jsonb NOT NULL DEFAULT '{}',\n    created_at timestamptz NOT NULL DEFAULT now()\n);")
        parts.append(f"CREATE INDEX {t}_account ON {t} (account_id);")
        parts.append(f"COMMENT ON TABLE {t} IS 'table {i}';")
        parts.append(f"GRANT SELECT ON {t} TO PUBLIC;")
    elif kind == 1:
        parts.append(f"ALTER TABLE t_{i - 1} ADD COLUMN note_{i} text;")
        parts.append(f"UPDATE t_{i - 1} SET note_{i} = name WHERE note_{i} IS NULL AND id < 10000;")
        parts.append(f"ALTER TABLE t_{i - 1} ADD CONSTRAINT t_{i}_chk CHECK (length(note_{i}) < 500) NOT VALID;")
        parts.append(f"ALTER TABLE t_{i - 1} VALIDATE CONSTRAINT t_{i}_chk;")
    elif kind == 2:
        parts.insert(0, "-- vidb:no-transaction")
        parts.append(f"CREATE INDEX CONCURRENTLY IF NOT EXISTS t_{i - 2}_status ON t_{i - 2} (status) "
                     "WHERE status <> 'done';")
    elif kind == 3:
        parts.append(f"CREATE OR REPLACE FUNCTION touch_{i}() RETURNS trigger LANGUAGE plpgsql AS $$\nBEGIN\n"
                     "    NEW.payload := NEW.payload || jsonb_build_object('touched', now());\n"
                     "    IF NEW.status = 'done' THEN\n        NEW.name := upper(NEW.name);\n    END IF;\n"
                     "    RETURN NEW;\nEND;\n$$;")
        parts.append(f"CREATE TRIGGER t_{i}_touch BEFORE UPDATE ON t_{i - 3} FOR EACH ROW EXECUTE FUNCTION touch_{i}();")
    elif kind == 4:
        parts.append(f"CREATE VIEW v_{i} AS\n  SELECT a.id, a.name, count(*) AS n, max(a.created_at) AS last\n"
                     f"  FROM t_{i - 4} a\n  WHERE a.status IN ('new', 'open')\n  GROUP BY a.id, a.name\n"
                     "  HAVING count(*) > 1;")
        parts.append(f"CREATE TYPE mood_{i} AS ENUM ('ok', 'meh', 'bad');")
        parts.append(f"ALTER TABLE t_{i - 4} ADD COLUMN mood_{i} mood_{i};")
    elif i % 25 == 5:
        # Now and then a hazard, as in real histories: an index built on a live table.
        parts.append(f"CREATE INDEX t_{i - 5}_created ON t_{i - 5} (created_at);")
    else:
        rows = ",\n".join(f"  ({j}, 'name {j}', 'new')" for j in range(rng.randint(20, 60)))
        parts.append(f"CREATE TABLE lookup_{i} (id bigint PRIMARY KEY, name text NOT NULL, status text NOT NULL);")
        parts.append(f"INSERT INTO lookup_{i} (id, name, status) VALUES\n{rows};")
    return "\n\n".join(parts) + "\n"


def generate():
    if WORK.exists():
        shutil.rmtree(WORK)
    WORK.mkdir(parents=True)
    rng = random.Random(14)
    shutil.copy(ROOT / "tests/fixtures/pgdump_baseline/0001_baseline.up.sql", WORK / "0001_baseline.up.sql")
    shutil.copy(ROOT / "tests/fixtures/pgdump_restrict/0001_baseline.up.sql", WORK / "0002_restrict_baseline.up.sql")
    for i in range(3, 151):
        (WORK / f"{i:04d}_m_{i}.up.sql").write_text(migration(i, rng))
    files = sorted(WORK.glob("*.sql"))
    return len(files), sum(f.stat().st_size for f in files)


def main():
    args = sys.argv[1:]
    rounds = 20
    if "--rounds" in args:
        k = args.index("--rounds")
        rounds = int(args[k + 1])
        del args[k:k + 2]
    vidb = args[0] if args else str(ROOT / "build" / "vidb")
    files, size = generate()
    times, cpu = [], []
    for _ in range(rounds):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        result = subprocess.run([vidb, "lint", str(WORK)], capture_output=True, text=True)
        times.append((time.perf_counter() - start) * 1000)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000)
        if result.returncode not in (0, 1):
            sys.exit(f"vidb lint failed ({result.returncode}): {result.stderr}")
    summary = result.stdout.strip().splitlines()[-1]
    version = subprocess.run([vidb, "--version"], capture_output=True, text=True).stdout.splitlines()[0]
    print("### vidb lint: a 150-file corpus\n")
    print(f"`bench/lint_bench.py` ({version}, {rounds} rounds, the whole process from spawn to exit): "
          f"{files} files, {size / 1024:.0f} KiB, linted in **{statistics.median(times):.1f} ms** median "
          f"(min {min(times):.1f}, max {max(times):.1f} ms), {statistics.median(cpu):.0f} ms of CPU "
          f"(user + system); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores. The target "
          f"is well under a second. Its report: `{summary}`.")


if __name__ == "__main__":
    main()
