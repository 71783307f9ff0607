# exercises: one verdict per sink: a shell command, eval text or SQL text proven constant or sanitized by dataflow is not reported by the pattern rules; request data is one finding (taint and pattern merged); a value of unknown origin is still reported by the pattern rule
import os
import shlex
import sqlite3
import subprocess

from flask import Flask, jsonify, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)
REPORT_DIR = "/srv/reports"
STATUS_QUERY = "SELECT id, state FROM jobs ORDER BY id DESC LIMIT 20"


def db():
    return sqlite3.connect("jobs.db")


@app.route("/reports")
def list_reports():
    cmd = "ls -l " + REPORT_DIR
    # ok: subprocess-shell-injection
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True, check=True)
    return jsonify(lines=out.stdout.splitlines())


@app.route("/reports/grep")
def grep_reports():
    term = request.args.get("q", "")
    cmd = "grep -rl -- " + shlex.quote(term) + " " + REPORT_DIR
    # ok: subprocess-shell-injection
    out = subprocess.run(cmd, shell=True, capture_output=True, text=True)
    return jsonify(files=out.stdout.splitlines())


@app.route("/reports/grep-unsafe")
def grep_reports_unsafe():
    term = request.args.get("q", "")
    # ruleid: tainted-os-command
    out = subprocess.run("grep -rl " + term + " " + REPORT_DIR, shell=True, capture_output=True, text=True)
    return jsonify(files=out.stdout.splitlines())


@app.route("/disk")
def disk_usage():
    # ok: os-command-injection
    usage = os.popen("df -h " + REPORT_DIR).read()
    return jsonify(usage=usage)


@app.route("/archive/<name>")
def archive(name):
    # ok: os-command-injection
    os.system("tar czf /backups/{}.tgz {}".format(shlex.quote(name), REPORT_DIR))
    return jsonify(ok=True)


@app.route("/archive-unsafe/<name>")
def archive_unsafe(name):
    # ruleid: tainted-os-command
    os.system("tar czf /backups/{}.tgz {}".format(name, REPORT_DIR))
    return jsonify(ok=True)


def run_maintenance(command):
    # The command is whatever the caller passes: a reviewer would flag it.
    # ruleid: subprocess-shell-injection
    return subprocess.run(command, shell=True, check=True)


@app.route("/jobs")
def job_status():
    cur = db().cursor()
    limit = int(request.args.get("limit", "20"))
    # ok: sql-injection-format
    cur.execute("SELECT id, state FROM jobs ORDER BY id DESC LIMIT %d" % limit)
    return jsonify(cur.fetchall())


@app.route("/jobs/recent")
def recent_jobs():
    cur = db().cursor()
    table = "jobs"
    # ok: sql-injection-format
    cur.execute(f"SELECT id, state FROM {table} ORDER BY id DESC")
    return jsonify(cur.fetchall())


@app.route("/jobs/by-state")
def jobs_by_state():
    cur = db().cursor()
    state = request.args["state"]
    # ruleid: tainted-sql-query
    cur.execute(f"SELECT id FROM jobs WHERE state = '{state}'")
    return jsonify(cur.fetchall())


@app.route("/limits")
def default_limits():
    text = "{'cpu': 2, 'memory': 512}"
    # ok: code-injection-eval
    limits = eval(text)
    return jsonify(limits)


@app.route("/calc")
def calc():
    # ruleid: tainted-code-execution
    return jsonify(result=eval("1 + " + request.args["n"]))
