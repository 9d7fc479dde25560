#!/usr/bin/env python3
"""Packed vs compiled in: the same 146-file folder (73 migrations, up and down) carried by
a vidb built with it (-DVIDB_MIGRATIONS_DIR) and by `vidb pack` into that same binary.
Times --version, status (all applied) and migrate (into a fresh database) of both, and
`vidb pack` of 1000 migrations. Needs DATABASE_URL (run by bench/pack.sh).

    bench/pack.py BUILD_DIR WORK_DIR
"""
import os
import statistics
import subprocess
import sys
import time
import urllib.parse

build, work = sys.argv[1], sys.argv[2]
admin = os.environ["DATABASE_URL"]
compiled = os.path.join(build, "vidb")
packed = os.path.join(work, "packed-vidb")


def run(args, url=None):
    env = dict(os.environ)
    if url:
        env["DATABASE_URL"] = url
    start = time.perf_counter()
    subprocess.run(args, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return (time.perf_counter() - start) * 1000


def db_url(name):
    parts = urllib.parse.urlsplit(admin)
    return urllib.parse.urlunsplit(parts._replace(path="/" + name))


def psql(sql):
    subprocess.run(["psql", "-X", "-q", "-d", admin, "-c", sql], check=True, stdout=subprocess.DEVNULL)


def fresh(name):
    psql(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    psql(f'CREATE DATABASE "{name}"')
    return db_url(name)


def median(fn, reps):
    fn()  # warm the page cache
    return statistics.median(fn() for _ in range(reps))


rows = []
for label, reps, make in [
    ("--version", 50, lambda binary: (lambda: run([binary, "--version"]))),
    ("status, 73 applied", 20, None),
    ("migrate, 73 into an empty database", 7, None),
]:
    times = {}
    for name, binary in (("compiled in", compiled), ("packed", packed)):
        if label.startswith("--version"):
            times[name] = median(make(binary), reps)
        elif label.startswith("status"):
            url = fresh("bench_pack_status")
            run([binary, "migrate"], url)
            times[name] = median(lambda: run([binary, "status"], url), reps)
        else:
            def once():
                url = fresh("bench_pack_migrate")
                return run([binary, "migrate"], url)
            times[name] = median(once, reps)
    rows.append((label, reps, times["compiled in"], times["packed"]))

many = os.path.join(work, "many")
pack_1000 = median(lambda: run([compiled, "pack", many, "-o", os.path.join(work, "many-vidb")]), 5)
load_1000 = median(lambda: run([os.path.join(work, "many-vidb"), "--version"]), 20)
print("| what | rounds | compiled in | packed | packed / compiled in |")
print("| --- | --- | --- | --- | --- |")
for label, reps, a, b in rows:
    print(f"| {label} | {reps} | {a:.1f} ms | {b:.1f} ms | {b / a:.2f}× |")
print(f"\n`vidb pack` of 1000 migrations: {pack_1000:.0f} ms (median of 5, binary of "
      f"{os.path.getsize(compiled) / 1048576:.1f} MiB copied); `--version` of that packed binary "
      f"(reads, verifies and parses 1000 files): {load_1000:.1f} ms.")
