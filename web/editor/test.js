// Smoke-test page driver (loaded as an external module: the CSP forbids inline scripts).
import { createEditor } from "./dist/editor.js";

const SAMPLE = `import sqlite3
import subprocess


def find_user(conn, name):
    # Build the query from user input
    query = f"SELECT * FROM users WHERE name = '{name}'"
    return conn.execute(query).fetchall()


def run(cmd):
    result = subprocess.run(cmd, shell=True, capture_output=True)
    return result.stdout.decode("utf-8")


class Cache:
    def __init__(self, size: int = 128) -> None:
        self.size = size
        self.items = {}
`;

const at = (s, needle) => {
  const i = SAMPLE.indexOf(s);
  if (i < 0) throw new Error("not in sample: " + s);
  return [i + (needle ? s.indexOf(needle) : 0), i + (needle ? s.indexOf(needle) + needle.length : s.length)];
};

const pw = (window.pw = { changes: [], cursors: [], csp: [], SAMPLE, at });
// The editor lives in an open shadow root under #editor > .pw-editor-host.
pw.root = () => document.querySelector("#editor > .pw-editor-host")?.shadowRoot ?? document;
pw.q = (sel) => [...pw.root().querySelectorAll(sel)];
pw.selText = () => String(pw.root().getSelection ? pw.root().getSelection() : document.getSelection());
document.addEventListener("securitypolicyviolation", (e) =>
  pw.csp.push(`${e.violatedDirective} ${e.blockedURI}`),
);

const handle = createEditor(
  document.getElementById("editor"),
  SAMPLE,
  (doc) => {
    pw.changes.push(doc);
    if (pw.hook) pw.hook(doc);
  },
  (pos) => pw.cursors.push(pos),
);
pw.handle = handle;

const [q1, q2] = at("conn.execute(query)");
const [s1, s2] = at("shell=True");
handle.setMarks(
  JSON.stringify([
    { from: q1, to: q2, severity: "high", title: "SQL query built from a formatted string", rule: "PW101" },
    { from: s1, to: s2, severity: "medium", title: "subprocess call with shell=True", rule: "PW201" },
  ]),
);

let darkOn = false;
document.getElementById("dark").addEventListener("click", () => handle.setDark((darkOn = !darkOn)));
pw.ready = true;
