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


def alternating(fns, reps):
    """Medians of each function, rounds alternating (the order flips each round), so that
    load from elsewhere on the machine falls on both alike."""
    for fn in fns:
        fn()  # warm the page cache
    times = [[] for _ in fns]
    for r in range(reps):
        order = range(len(fns)) if r % 2 == 0 else reversed(range(len(fns)))
        for k in order:
            times[k].append(fns[k]())
    return [statistics.median(t) for t in times]


binaries = (compiled, packed)
status_url = fresh("bench_pack_status")
for binary in binaries:
    run([binary, "migrate"], status_url)


def migrate_once(binary):
    url = fresh("bench_pack_migrate")
    return run([binary, "migrate"], url)


rows = []
for label, reps, make in [
    ("--version", 100, lambda b: (lambda: run([b, "--version"]))),
    ("status, 73 applied", 30, lambda b: (lambda: run([b, "status"], status_url))),
    ("migrate, 73 into an empty database", 9, lambda b: (lambda: migrate_once(b))),
]:
    a, b = alternating([make(binary) for binary in binaries], reps)
    rows.append((label, reps, a, b))

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
