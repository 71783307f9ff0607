//! The rule workshop's data: rule templates and exercises. Plain data with no dependency, so the
//! engine's own tests (crates/wasm/src/workshop.rs) load this very file and check every template
//! and every exercise: each starts unsolved and its solution solves it, by the engine.

/// A rule to start from.
pub struct Template {
    pub id: &'static str,
    pub label: &'static str,
    pub yaml: &'static str,
    /// Code with annotations that the template passes.
    pub code: &'static str,
}

pub const TEMPLATES: &[Template] = &[
    Template {
        id: "pattern",
        label: "Pattern rule",
        yaml: "rules:
  - id: my-pattern-rule
    languages: [python]
    severity: MEDIUM
    message: A request is sent without a timeout; it can hang forever
    patterns:
      - pattern: requests.$METHOD(...)
      - pattern-not: requests.$METHOD(..., timeout=$T, ...)
",
        code: "import requests

# ruleid: my-pattern-rule
requests.get(url)
# ok: my-pattern-rule
requests.get(url, timeout=5)
",
    },
    Template {
        id: "taint",
        label: "Taint rule",
        yaml: "rules:
  - id: my-taint-rule
    languages: [python]
    severity: HIGH
    message: Request data reaches a shell command
    mode: taint
    pattern-sources:
      - pattern: request.args.get(...)
    pattern-sanitizers:
      - pattern: shlex.quote(...)
    pattern-sinks:
      - pattern: os.system(...)
",
        code: "import os
import shlex
from flask import request


def ping():
    host = request.args.get(\"host\")
    # ruleid: my-taint-rule
    os.system(\"ping \" + host)
    # ok: my-taint-rule
    os.system(\"ping \" + shlex.quote(host))
",
    },
    Template {
        id: "metavariable-regex",
        label: "metavariable-regex rule",
        yaml: "rules:
  - id: my-regex-rule
    languages: [python]
    severity: HIGH
    message: A secret ($NAME) is written in the code
    patterns:
      - pattern: $NAME = \"...\"
      - metavariable-regex:
          metavariable: $NAME
          regex: (?i).*(password|secret|token).*
",
        code: "# ruleid: my-regex-rule
db_password = \"hunter2\"
# ok: my-regex-rule
greeting = \"hello\"
",
    },
];

/// What finishes an exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Goal {
    /// The analysis finds nothing (with every rule on), and the code still has `keep`.
    Clean,
    /// The rules load, and every annotation of the code passes (at least as many as the
    /// exercise started with), with no finding on an unannotated line.
    AnnotationsPass,
}

pub struct Exercise {
    pub id: &'static str,
    pub title: &'static str,
    pub goal: Goal,
    pub task: &'static str,
    pub code: &'static str,
    /// The rules the exercise starts with ("" for none).
    pub rules: &'static str,
    /// Code the fixed program must still hold (so deleting it all is no fix).
    pub keep: &'static [&'static str],
    pub hints: &'static [&'static str],
    /// A solution (the code and the rules), checked by the tests.
    pub solution_code: &'static str,
    pub solution_rules: &'static str,
}

pub const EXERCISES: &[Exercise] = &[
    Exercise {
        id: "fix-command-injection",
        title: "Fix: command injection",
        goal: Goal::Clean,
        task: "ping() builds a shell command from its argument, which comes from a user. Change the code until the analysis finds nothing, keeping the ping.",
        code: "import os


def ping(host):
    os.system(\"ping -c 1 \" + host)
",
        rules: "",
        keep: &["def ping(", "ping"],
        hints: &[
            "The shell reads `;` and `&&` in `host` as new commands.",
            "Run the program without a shell: `subprocess.run([...])` with a list of arguments.",
            "`subprocess.run([\"/usr/bin/ping\", \"-c\", \"1\", \"--\", host], check=False)` (and `import subprocess`).",
        ],
        solution_code: "import subprocess


def ping(host):
    subprocess.run([\"/usr/bin/ping\", \"-c\", \"1\", \"--\", host], check=False)
",
        solution_rules: "",
    },
    Exercise {
        id: "fix-sql-injection",
        title: "Fix: SQL injection",
        goal: Goal::Clean,
        task: "The query is built with an f-string. Make the analysis clean without losing the query.",
        code: "import sqlite3


def find_user(conn: sqlite3.Connection, name: str):
    cur = conn.cursor()
    cur.execute(f\"SELECT id FROM users WHERE name = '{name}'\")
    return cur.fetchone()
",
        rules: "",
        keep: &["def find_user(", "SELECT id FROM users"],
        hints: &[
            "A name such as `' OR '1'='1` changes the query itself.",
            "Let the driver pass the value: a placeholder in the SQL and the value apart.",
            "`cur.execute(\"SELECT id FROM users WHERE name = ?\", (name,))`",
        ],
        solution_code: "import sqlite3


def find_user(conn: sqlite3.Connection, name: str):
    cur = conn.cursor()
    cur.execute(\"SELECT id FROM users WHERE name = ?\", (name,))
    return cur.fetchone()
",
        solution_rules: "",
    },
    Exercise {
        id: "fix-yaml-load",
        title: "Fix: unsafe YAML loading",
        goal: Goal::Clean,
        task: "The settings file is read with yaml.load, which can build any Python object. Fix it.",
        code: "import yaml


def read_settings(path):
    with open(path) as fh:
        return yaml.load(fh, Loader=yaml.Loader)
",
        rules: "",
        keep: &["def read_settings(", "yaml."],
        hints: &["PyYAML has a loader that builds only plain data.", "`yaml.safe_load(fh)`"],
        solution_code: "import yaml


def read_settings(path):
    with open(path) as fh:
        return yaml.safe_load(fh)
",
        solution_rules: "",
    },
    Exercise {
        id: "rule-no-timeout",
        title: "Rule: requests without a timeout",
        goal: Goal::AnnotationsPass,
        task: "Write `no-timeout` so that it flags the requests calls without a timeout, and only those: every annotation must pass.",
        code: "import requests

# ruleid: no-timeout
requests.get(url)
# ruleid: no-timeout
requests.post(url, data=body)
# ok: no-timeout
requests.get(url, timeout=10)
# ok: no-timeout
requests.post(url, data=body, timeout=(3, 10))
",
        rules: "rules:
  - id: no-timeout
    languages: [python]
    severity: LOW
    message: A request without a timeout can hang forever
    pattern: requests.get(url)
",
        keep: &[],
        hints: &[
            "A metavariable such as `$METHOD` matches any name: `requests.$METHOD(...)`; `...` matches any arguments.",
            "Then leave out the calls that have a timeout: `patterns:` with a `pattern-not:`.",
            "`patterns: [{pattern: requests.$METHOD(...)}, {pattern-not: requests.$METHOD(..., timeout=$T, ...)}]`",
        ],
        solution_code: "",
        solution_rules: "rules:
  - id: no-timeout
    languages: [python]
    severity: LOW
    message: A request without a timeout can hang forever
    patterns:
      - pattern: requests.$METHOD(...)
      - pattern-not: requests.$METHOD(..., timeout=$T, ...)
",
    },
    Exercise {
        id: "rule-secret-names",
        title: "Rule: secrets in variables",
        goal: Goal::AnnotationsPass,
        task: "Write `secret-in-code`: flag a string assigned to a name that says password, secret or token (any case), and nothing else.",
        code: "# ruleid: secret-in-code
DB_PASSWORD = \"hunter2\"
# ruleid: secret-in-code
api_token = \"abc123\"
# ok: secret-in-code
title = \"Welcome\"
# ok: secret-in-code
password_hint = len(hint)
",
        rules: "rules:
  - id: secret-in-code
    languages: [python]
    severity: HIGH
    message: A secret ($NAME) is written in the code
    pattern: $NAME = \"...\"
",
        keep: &[],
        hints: &[
            "`$NAME = \"...\"` matches every string assignment; the name must be checked too.",
            "`metavariable-regex` checks the text a metavariable bound, inside `patterns:`.",
            "`regex: (?i).*(password|secret|token).*` on `$NAME`.",
        ],
        solution_code: "",
        solution_rules: "rules:
  - id: secret-in-code
    languages: [python]
    severity: HIGH
    message: A secret ($NAME) is written in the code
    patterns:
      - pattern: $NAME = \"...\"
      - metavariable-regex:
          metavariable: $NAME
          regex: (?i).*(password|secret|token).*
",
    },
    Exercise {
        id: "rule-debug-inside-route",
        title: "Rule: debug output inside a view",
        goal: Goal::AnnotationsPass,
        task: "Write `print-in-view`: flag print() only inside a Flask view (a function decorated with @app.route).",
        code: "from flask import Flask

app = Flask(__name__)


def helper():
    # ok: print-in-view
    print(\"helper\")


@app.route(\"/\")
def index():
    # ruleid: print-in-view
    print(\"in the view\")
    return \"ok\"
",
        rules: "rules:
  - id: print-in-view
    languages: [python]
    severity: LOW
    message: print() in a view; use logging
    pattern: print(...)
",
        keep: &[],
        hints: &[
            "`pattern-inside` keeps only the matches inside code that matches another pattern.",
            "The enclosing pattern is the decorated function: `@app.route(...)` then `def $F(...): ...`.",
            "`patterns: [{pattern: print(...)}, {pattern-inside: \"@app.route(...)\\ndef $F(...):\\n  ...\"}]`",
        ],
        solution_code: "",
        solution_rules: "rules:
  - id: print-in-view
    languages: [python]
    severity: LOW
    message: print() in a view; use logging
    patterns:
      - pattern: print(...)
      - pattern-inside: |
          @app.route(...)
          def $F(...):
            ...
",
    },
];

/// Where the user's work stands, from the latest analysis and annotation check.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Progress<'a> {
    pub code: &'a str,
    /// Findings shown, and findings the settings hid (a hidden finding is not clean).
    pub findings: usize,
    pub hidden: usize,
    /// Syntax errors and parts not analysed.
    pub errors: usize,
    /// The user's rules loaded (no load error).
    pub rules_ok: bool,
    /// Annotations passing, and in all; findings on unannotated lines.
    pub passing: usize,
    pub annotations: usize,
    pub unexpected: usize,
}

/// How many annotation comments a text has (a line scan: `# ruleid:` and `# ok:` lines).
pub fn annotation_lines(code: &str) -> usize {
    code.lines()
        .filter(|l| {
            let t = l.trim_start().trim_start_matches('#').trim_start();
            t.starts_with("ruleid:") || t.starts_with("ok:")
        })
        .count()
}

impl Exercise {
    /// Is the exercise done?
    pub fn solved(&self, p: &Progress<'_>) -> bool {
        match self.goal {
            Goal::Clean => p.findings == 0 && p.hidden == 0 && p.errors == 0 && self.keep.iter().all(|k| p.code.contains(k)),
            Goal::AnnotationsPass => {
                p.rules_ok
                    && p.errors == 0
                    && p.unexpected == 0
                    && p.annotations >= annotation_lines(self.code)
                    && p.passing == p.annotations
            }
        }
    }

    /// The code the solution runs on (the rule exercises keep the exercise's code).
    pub fn solution_code(&self) -> &'static str {
        if self.solution_code.is_empty() {
            self.code
        } else {
            self.solution_code
        }
    }
}
