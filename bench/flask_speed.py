#!/usr/bin/env python3
"""pyward speed on a large Flask file: prints figures, asserts nothing.

Scans, with the release CLI, the machine's Python standard library (the file list of
bench/run.py) and the Flask example (examples/flask_shop.py) repeated to 8 MB in one file, and
prints the lines per CPU second of each and their ratio. CPU time (user + system, best of
ROUNDS alternating rounds; the median round's ratio too) rather than wall time: the standard library is scanned on every core, the single file
on one, and the development machine is shared. The target is a ratio of at least 0.5: a file
full of request handlers, where every taint rule follows flows, analysed at no less than half
the standard library's speed per line.

Usage: python3 bench/flask_speed.py [--no-build]   (PYWARD_BIN=path to time another binary)
"""
import os
import resource
import subprocess
import sys
import sysconfig
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SIZE = 8 * 1024 * 1024
ROUNDS = 5


def stdlib_files():
    """The standard library proper, as bench/run.py lists it (no site-packages)."""
    stdlib = sysconfig.get_paths()["stdlib"]
    files = []
    for d, dirs, names in os.walk(stdlib):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "dist-packages"))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
    return stdlib, files


def count_lines(files):
    n = 0
    for f in files:
        with open(f, "rb") as fh:
            n += fh.read().count(b"\n")
    return n


def cpu_seconds(pyward, files):
    """CPU time (user + system) of one scan of the files (some standard library files do not
    parse: the exit status is not checked, as in bench/run.py)."""
    cmd = [pyward, "scan", *files, "--format", "json", "--output", os.devnull, "--exit-zero", "--no-progress"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def main():
    pyward = os.environ.get("PYWARD_BIN", os.path.join(ROOT, "target", "release", "pyward"))
    if "--no-build" not in sys.argv and "PYWARD_BIN" not in os.environ:
        subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pyward"], cwd=ROOT, check=True)
    stdlib, files = stdlib_files()
    with open(os.path.join(ROOT, "examples", "flask_shop.py")) as f:
        flask = f.read()
    with tempfile.TemporaryDirectory() as d:
        big = os.path.join(d, "flask_8mb.py")
        with open(big, "w") as f:
            f.write(flask * (SIZE // len(flask) + 1))
        s_lines, b_lines = count_lines(files), count_lines([big])
        # The two scans alternate, round after round: the machine's speed drifts (it is shared),
        # and a drift between two separate series would move the ratio.
        rounds = [(cpu_seconds(pyward, files), cpu_seconds(pyward, [big])) for _ in range(ROUNDS)]
    s_cpu, b_cpu = min(r[0] for r in rounds), min(r[1] for r in rounds)
    s_rate, b_rate = s_lines / s_cpu, b_lines / b_cpu
    per_round = sorted((b_lines / b) / (s_lines / s) for s, b in rounds)
    print(f"standard library ({stdlib}, {len(files)} files): {s_lines} lines, {s_cpu:.2f} s CPU = {s_rate:,.0f} lines/s (best of {ROUNDS})")
    print(f"Flask example repeated to 8 MB (one file): {b_lines} lines, {b_cpu:.2f} s CPU = {b_rate:,.0f} lines/s (best of {ROUNDS})")
    print(f"ratio of the rounds, lowest to highest: {', '.join(f'{r:.2f}' for r in per_round)}")
    print(f"ratio Flask/stdlib lines per CPU second: {b_rate / s_rate:.2f} of the best times, {per_round[len(per_round) // 2]:.2f} the median round  (target >= 0.5)")


if __name__ == "__main__":
    main()
