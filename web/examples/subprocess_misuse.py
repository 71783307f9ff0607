"""NetOps panel: a small internal Flask dashboard for network and server chores."""
import os
import subprocess

from flask import Flask, jsonify, request

app = Flask(__name__)

LOG_DIR = "/var/log/app"
BACKUP_DIR = "/srv/backups"


@app.route("/ping")
def ping():
    host = request.args.get("host", "localhost")
    result = subprocess.run(
        f"ping -c 3 {host}", shell=True, capture_output=True, text=True, timeout=15
    )
    return jsonify(output=result.stdout, code=result.returncode)


@app.route("/traceroute")
def traceroute():
    host = request.args.get("host", "localhost")
    result = subprocess.run(
        ["traceroute", "-m", "15", "--", host], capture_output=True, text=True, timeout=60
    )
    return jsonify(output=result.stdout)


@app.route("/logs/search")
def search_logs():
    pattern = request.args.get("q", "ERROR")
    logfile = request.args.get("file", "app.log")
    stream = os.popen("grep -n '%s' %s/%s | tail -n 100" % (pattern, LOG_DIR, logfile))
    return jsonify(matches=stream.read().splitlines())


@app.route("/dns")
def dns_lookup():
    domain = request.args.get("domain", "example.com")
    record = request.args.get("type", "A")
    output = subprocess.check_output("dig +short " + record + " " + domain, shell=True)
    return jsonify(answer=output.decode().split())


@app.route("/backup", methods=["POST"])
def backup():
    project = request.json["project"]
    archive = os.path.join(BACKUP_DIR, project + ".tar.gz")
    status = os.system("tar czf {} /srv/projects/{}".format(archive, project))
    return jsonify(ok=status == 0, archive=archive)


@app.route("/disk")
def disk_usage():
    mount = request.args.get("mount", "/")
    return jsonify(df=subprocess.getoutput(f"df -h {mount}"))


@app.route("/service/<name>/restart", methods=["POST"])
def restart_service(name):
    cmd = "sudo systemctl restart " + name
    proc = subprocess.Popen(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    out, _ = proc.communicate(timeout=30)
    return jsonify(output=out.decode())


if __name__ == "__main__":
    app.run(host="0.0.0.0", port=8080)
