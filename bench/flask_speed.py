#!/usr/bin/env python3
"""pyward speed on a large Flask file: prints figures, asserts nothing.

Analyses, single-threaded and in-process (the engine's `throughput` example, best of its runs),
the machine's Python standard library and the Flask example (examples/flask_shop.py) repeated
to 8 MB in one file, and prints the lines per second of each and their ratio. The target is a
ratio of at least 0.5: a file full of request handlers, where every taint rule follows flows,
analysed at no less than half the standard library's speed per line.

Usage: python3 bench/flask_speed.py [--no-build]   (builds the release example first)
"""
import os
import re
import subprocess
import sys
import sysconfig
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(ROOT, "target", "release", "examples", "throughput")
SIZE = 8 * 1024 * 1024


def stdlib_files():
    """The standard library proper, as bench/run.py lists it (no site-packages)."""
    stdlib = sysconfig.get_paths()["stdlib"]
    files = []
    for d, dirs, names in os.walk(stdlib):
        dirs[:] = sorted(x for x in dirs if x not in ("site-packages", "dist-packages"))
        files += [os.path.join(d, n) for n in sorted(names) if n.endswith(".py")]
    return stdlib, files


def lines_per_second(files, example):
    """Runs the full analysis over the files; returns (lines, seconds, lines/s, findings)."""
    out = subprocess.run(
        [example], input="\n".join(files).encode(), env={**os.environ, "THROUGHPUT_MODE": "full"}, capture_output=True, check=True
    ).stdout.decode()
    lines = int(re.search(r"lines: (\d+)", out).group(1))
    m = re.search(r"full analysis: ([\d.]+) s  \((\d+) lines/s.*findings: (\d+)", out)
    return lines, float(m.group(1)), int(m.group(2)), int(m.group(3))


def main():
    example = os.environ.get("THROUGHPUT_BIN", EXAMPLE)
    if "--no-build" not in sys.argv and "THROUGHPUT_BIN" not in os.environ:
        subprocess.run(["cargo", "build", "--release", "--quiet", "-p", "pyward-engine", "--example", "throughput"], cwd=ROOT, check=True)
    stdlib, files = stdlib_files()
    with open(os.path.join(ROOT, "examples", "flask_shop.py")) as f:
        flask = f.read()
    with tempfile.TemporaryDirectory() as d:
        big = os.path.join(d, "flask_8mb.py")
        with open(big, "w") as f:
            f.write(flask * (SIZE // len(flask) + 1))
        s = lines_per_second(files, example)
        b = lines_per_second([big], example)
    print(f"standard library ({stdlib}, {len(files)} files): {s[0]} lines in {s[1]:.3f} s = {s[2]:,} lines/s, {s[3]} findings")
    print(f"Flask example repeated to 8 MB (one file): {b[0]} lines in {b[1]:.3f} s = {b[2]:,} lines/s, {b[3]} findings")
    print(f"ratio Flask/stdlib lines per second: {b[2] / s[2]:.2f}  (target >= 0.5)")


if __name__ == "__main__":
    main()
