# exercises: an argument list that starts with a shell and -c, built up with append or +=, runs its command through the shell (command injection) when request data is added; the same list for a program without a shell, or with a constant command, does not
import subprocess

from flask import Flask, jsonify, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


@app.route("/ops/disk")
def disk_usage():
    argv = ["/bin/sh", "-c"]
    argv.append("du -sh /srv/data/" + request.args["dir"])
    # ruleid: tainted-os-command
    result = subprocess.run(argv, capture_output=True, text=True)
    return jsonify(out=result.stdout)


@app.route("/ops/disk-safe")
def disk_usage_safe():
    argv = ["du", "-sh"]
    argv.append("/srv/data/" + request.args["dir"])
    # ok: tainted-os-command
    result = subprocess.run(argv, capture_output=True, text=True)
    return jsonify(out=result.stdout)


@app.route("/ops/grep")
def grep_logs():
    cmd = ["bash"]
    cmd += ["-c", "grep -c " + request.args["pattern"] + " /var/log/app.log"]
    # ruleid: tainted-os-command
    return jsonify(out=subprocess.check_output(cmd).decode())


@app.route("/ops/uptime")
def uptime():
    cmd = ["bash"]
    cmd += ["-c", "uptime"]
    # ok: tainted-os-command
    return jsonify(out=subprocess.check_output(cmd).decode())
