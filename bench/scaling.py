#!/usr/bin/env python3
"""pyward scaling benchmark: prints figures, asserts nothing.

Each family of adversarial input (the reproducers of the reliability issue; tests/adversarial.rs
checks their outcome) is generated at 1x, 2x and 4x its base size and scanned by the release
CLI. The time ratios show growth: about 2 and 4 is linear, 4 and 16 quadratic.

Usage: python3 bench/scaling.py   (builds target/release/pyward first)
"""
import os
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "pyward")
FLASK = "from flask import Flask, request\nimport os\napp = Flask(__name__)\n"


def fibonacci_helpers(n):
    out = FLASK + "def f0(x):\n    return x\ndef f1(x):\n    return x\n"
    for i in range(2, n):
        out += f"def f{i}(x):\n    x = f{i-2}(x)\n    x = f{i-1}(x)\n    return x\n"
    return out + f"@app.route('/')\ndef r():\n    os.system(f{n-1}(request.args['q']))\n"


def call_chain(n):
    out = FLASK + f"def f{n}(x):\n    os.system(x)\n"
    for i in range(n - 1, -1, -1):
        out += f"def f{i}(x):\n    f{i+1}(x)\n"
    return out + "@app.route('/')\ndef r():\n    f0(request.args['q'])\n"


def tainted_branches(n):
    out = FLASK + "@app.route('/')\ndef r():\n"
    for i in range(n):
        out += f"    v{i} = request.args['a{i}']\n    if v{i}:\n        v{i} = v{i}.strip()\n"
    return out + "    os.system(" + " + ".join(f"v{i}" for i in range(0, n, max(1, n // 20))) + ")\n"


def flask_example(k):
    with open(os.path.join(ROOT, "examples", "flask_shop.py")) as f:
        return f.read() * k


FAMILIES = [
    # (name, generator, base size, user rule or None)
    ("helpers calling the previous two", fibonacci_helpers, 16, None),
    ("chain of helpers", call_chain, 100, None),
    ("nested lambdas", lambda n: "import os\nf = " + "lambda: " * n + "0\nos.system(input())\n", 1300, None),
    ("CORS settings repeated", lambda n: "CORS_ALLOW_ALL_ORIGINS = True\nCORS_ALLOW_CREDENTIALS = True\n" * n, 1000, None),
    ("constant verify= repeated", lambda n: "import requests\n" + "v = True\nrequests.get(u, verify=v, timeout=5)\n" * n, 2000, None),
    ("tainted variables with ifs", tainted_branches, 500, None),
    ("Flask example repeated", flask_example, 200, None),
    ("one finding per line: x{i} = eval(input())", lambda n: "".join(f"x{i} = eval(input())\n" for i in range(n)), 2500, None),
    ("one line of os.system(x);", lambda n: "import os\n" + "os.system(x);" * n + "\n", 2500, None),
    ("sum chain statements", lambda n: ("x = " + " + ".join(["1"] * 1200) + "\n") * 1 + "y = 1\n" * n, 2000, None),
    (
        "f(..., $A, ..., $B, ..., $C, ..., $D, ..., 0) on a long call",
        lambda n: "f(" + ", ".join(["x"] * n) + ")\n",
        100,
        "rules:\n  - id: slow\n    languages: [python]\n    severity: LOW\n    message: m\n"
        "    pattern: f(..., $A, ..., $B, ..., $C, ..., $D, ..., 0)\n",
    ),
    (
        "[..., $A, ..., $B, ..., $C, ..., 0] on a long list",
        lambda n: "y = [" + ", ".join(["x"] * n) + "]\n",
        100,
        "rules:\n  - id: slow\n    languages: [python]\n    severity: LOW\n    message: m\n"
        "    pattern: '[..., $A, ..., $B, ..., $C, ..., 0]'\n",
    ),
    (
        "$X = 1, ..., $Y = 2, ..., $Z = 3, ..., foo() on assignments",
        lambda n: "foo()\n" + "a = 1\nb = 2\nc = 3\n" * (n // 3),
        150,
        "rules:\n  - id: slow\n    languages: [python]\n    severity: LOW\n    message: m\n"
        "    pattern: |\n      $X = 1\n      ...\n      $Y = 2\n      ...\n      $Z = 3\n      ...\n      foo()\n",
    ),
    (
        "patterns: [$X, pattern-inside: $Y] on distinct names",
        lambda n: "".join(f"x{i} = y{i}\n" for i in range(n)),
        1000,
        "rules:\n  - id: inside\n    languages: [python]\n    severity: LOW\n    message: m\n"
        "    patterns:\n      - pattern: $X\n      - pattern-inside: $Y\n",
    ),
    (
        "patterns: [$X, $Y]",
        lambda n: "x = a + b\n" * n,
        5000,
        "rules:\n  - id: xy\n    languages: [python]\n    severity: LOW\n    message: m\n"
        "    patterns:\n      - pattern: $X\n      - pattern: $Y\n",
    ),
    (
        "pattern-regex: . (one finding per byte)",
        lambda n: "x = '" + "a" * n + "'\n",
        250_000,
        "rules:\n  - id: byte\n    languages: [python]\n    severity: LOW\n    message: m\n    pattern-regex: .\n",
    ),
    (
        "aliases in a rule file (tiny input)",
        lambda n: "foo()\n",
        50_000,
        lambda n: "rules:\n  - id: r\n    languages: [python]\n    severity: LOW\n    message: m\n    pattern: foo()\n"
        "    metadata:\n      base: &a {k: v}\n      many: [" + ", ".join(["*a"] * n) + "]\n",
    ),
]


def timed(path, rule):
    cmd = [BIN, "scan", path, "--format", "json", "--exit-zero"]
    if rule:
        cmd += ["--rules", rule]
    best = None
    for _ in range(3):
        t = time.perf_counter()
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        d = time.perf_counter() - t
        best = d if best is None else min(best, d)
    return best


def main():
    subprocess.run(["cargo", "build", "--release", "--quiet", "--bin", "pyward"], cwd=ROOT, check=True)
    print(f"{'family':<62} {'1x':>8} {'2x':>8} {'4x':>8}  ratios (2x/1x, 4x/1x)")
    with tempfile.TemporaryDirectory() as d:
        for name, gen, base, rule in FAMILIES:
            rule_path = os.path.join(d, "rule.yaml") if rule else None
            times = []
            for k in (1, 2, 4):
                if rule:
                    # A rule is fixed text, or grows with the size like the input.
                    with open(rule_path, "w") as f:
                        f.write(rule(base * k) if callable(rule) else rule)
                path = os.path.join(d, "input.py")
                with open(path, "w") as f:
                    f.write(gen(base * k))
                times.append(timed(path, rule_path))
            r2, r4 = times[1] / times[0], times[2] / times[0]
            print(f"{name:<62} {times[0]:8.3f} {times[1]:8.3f} {times[2]:8.3f}  {r2:5.1f} {r4:5.1f}")
    sys.stdout.flush()


if __name__ == "__main__":
    main()
