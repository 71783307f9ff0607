import asyncio
import os
import shlex
import socket
import subprocess
import sys
from subprocess import PIPE, Popen, check_output

import paramiko
from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI
from flask import Flask, abort, jsonify, request
from openai import OpenAI

app = Flask(__name__)
api = FastAPI()
llm = OpenAI()

ALLOWED_TOOLS = {"uptime", "df", "free"}
MAINTENANCE = {
    "clear-cache": ["find", os.environ.get("CACHE_DIR", "/var/cache/app"), "-delete"],
    "rotate-logs": ["logrotate", "/etc/logrotate.d/app"],
}


# ---- Flask ------------------------------------------------------------------------


@app.route("/ping")
def ping():
    host = request.args["host"]
    # ruleid: tainted-os-command
    out = subprocess.check_output(f"ping -c 1 {host}", shell=True)
    return out


@app.route("/ping/safe")
def ping_safe():
    host = request.args["host"]
    # A list without a shell: the host is one argument of ping.
    # ok: tainted-os-command
    out = subprocess.check_output(["ping", "-c", "1", "--", host])
    return out


@app.route("/ping/quoted")
def ping_quoted():
    host = request.args["host"]
    # ok: tainted-os-command
    os.system("ping -c 1 " + shlex.quote(host))
    return "", 204


@app.route("/archive", methods=["POST"])
def archive():
    files = request.form.getlist("file")
    # ok: tainted-os-command
    subprocess.run(shlex.join(["tar", "czf", "/tmp/out.tgz", *files]), shell=True, check=True)
    return "", 204


@app.route("/lookup/<domain>")
def lookup(domain):
    # ruleid: tainted-os-command
    stream = os.popen("nslookup %s" % domain)
    return stream.read()


# Passed through a helper function of the same file.
def run_in_shell(command):
    return subprocess.run(command, shell=True, capture_output=True, text=True).stdout


@app.route("/grep")
def grep_logs():
    pattern = request.args.get("q", "")
    # ruleid: tainted-os-command
    return run_in_shell("grep -r '" + pattern + "' /var/log/app")


@app.route("/uptime")
def uptime():
    return run_in_shell("uptime")


def build_convert(src, size):
    return "convert %s -resize %s /tmp/thumb.png" % (src, size)


@app.route("/thumbnail", methods=["POST"])
def thumbnail():
    cmd = build_convert("/uploads/latest.png", request.form["size"])
    # ruleid: tainted-os-command
    os.system(cmd)
    return "", 204


@app.route("/backup")
def backup():
    target = request.args.get("target", "/srv/data")
    # Overwritten with a constant before the command is built.
    target = "/srv/data"
    # ok: tainted-os-command
    os.system(f"tar czf /backups/data.tgz {target}")
    return "", 204


@app.route("/debug/shell")
def debug_shell():
    command = "id"
    if False:
        command = request.args["cmd"]
    # ok: tainted-os-command
    return subprocess.getoutput(command)


@app.route("/convert", methods=["POST"])
def convert():
    # Moved through a dict, then an f-string.
    job = {"src": request.form["src"], "format": "pdf"}
    line = f"libreoffice --headless --convert-to {job['format']} {job['src']}"
    # ruleid: tainted-os-command
    subprocess.Popen(line, shell=True).wait()
    return "", 202


@app.route("/tool")
def run_tool():
    tool = request.args["tool"]
    if tool not in ALLOWED_TOOLS:
        abort(400)
    # ok: tainted-os-command
    return subprocess.check_output(tool, shell=True)


@app.route("/tool/v2")
def run_tool_v2():
    tool = request.args["tool"]
    if tool in ALLOWED_TOOLS:
        # ok: tainted-os-command
        return subprocess.check_output([tool])
    # ruleid: tainted-os-command
    return subprocess.check_output([tool, "--version"])


@app.route("/admin/run", methods=["POST"])
def admin_run():
    # ruleid: tainted-os-command
    os.system(request.form.get("command"))
    # ruleid: tainted-os-command
    subprocess.run(request.form.get("after", "true"), shell=True, check=True)
    # ruleid: tainted-os-command
    subprocess.run([request.form.get("tool", "true"), "--quiet"], check=True)
    # ok: tainted-os-command
    subprocess.run(["git", "log", "--oneline", request.form.get("branch").strip()], check=True)
    # ok: tainted-os-command
    subprocess.run(("git", "show", request.form["commit"]), check=True)
    # ruleid: tainted-os-command
    subprocess.run((request.form["editor"], "/tmp/notes.txt"), check=True)
    # ruleid: tainted-os-command
    subprocess.run(request.form.get("program", "true"))
    return "", 204


@app.route("/admin/run/checked", methods=["POST"])
def admin_run_checked():
    tool = request.form.get("tool", "uptime")
    if tool not in ALLOWED_TOOLS:
        abort(403)
    # ok: tainted-os-command
    subprocess.run(tool, shell=True, check=True)
    # ok: tainted-os-command
    subprocess.run([tool, "-h"], check=True)
    return "", 204


@app.route("/maintenance/<action>", methods=["POST"])
def maintenance(action):
    if action not in MAINTENANCE:
        abort(404)
    # An argument list picked from a table, run without a shell.
    # ok: tainted-os-command
    subprocess.run(MAINTENANCE[action], check=True)
    return "", 204


@app.route("/nice")
def renice():
    level = int(request.args["level"])
    # ok: tainted-os-command
    os.system("renice -n %d -p %d" % (level, os.getpid()))
    return "", 204


@app.route("/git/log")
def git_log():
    branch = request.args["branch"]
    args = ["git", "log", "--oneline", branch, "--"]
    # ok: tainted-os-command
    return subprocess.run(args, capture_output=True, text=True).stdout


@app.route("/exec")
def exec_program():
    program = request.args["program"]
    # ruleid: tainted-os-command
    return subprocess.run(program, capture_output=True).stdout


@app.route("/exec/line")
def exec_line():
    line = request.args["line"]
    # ruleid: tainted-os-command
    return check_output(shlex.split(line))


@app.route("/exec/bash")
def exec_bash():
    script = request.args["script"]
    # ruleid: tainted-os-command
    proc = Popen(["bash", "-c", script], stdout=PIPE)
    return proc.communicate()[0]


@app.route("/exec/list-shell")
def exec_list_shell():
    name = request.args["name"]
    # With a shell, a list is no protection: its first item is the shell command.
    # ruleid: tainted-os-command
    return subprocess.check_output(["echo " + name], shell=True)


@app.route("/replace")
def replace_process():
    binary = request.args["binary"]
    # ruleid: tainted-os-command
    os.execv(binary, [binary])


@app.route("/spawn")
def spawn_shell():
    cmd = request.args["cmd"]
    # ruleid: tainted-os-command
    os.spawnl(os.P_WAIT, "/bin/sh", "sh", "-c", cmd)
    return "", 204


@app.route("/spawn/ls")
def spawn_ls():
    path = request.args["path"]
    # ok: tainted-os-command
    os.spawnl(os.P_WAIT, "/bin/ls", "ls", "-l", path)
    return "", 204


@app.route("/remote", methods=["POST"])
def remote_restart():
    service = request.form["service"]
    client = paramiko.SSHClient()
    client.connect("app-server")
    # ruleid: tainted-os-command
    client.exec_command("systemctl restart " + service)
    return "", 204


# ---- Django -----------------------------------------------------------------------


def whois(request):
    domain = request.GET["domain"]
    # ruleid: tainted-os-command
    output = subprocess.getoutput("whois " + domain)
    return HttpResponse(output, content_type="text/plain")


def disk_usage(request):
    directory = request.POST.get("dir", "/srv")
    # ok: tainted-os-command
    output = subprocess.run(["du", "-sh", "--", directory], capture_output=True, text=True).stdout
    return JsonResponse({"usage": output})


# ---- FastAPI ----------------------------------------------------------------------


@api.post("/resize")
async def resize(path: str, width: int):
    # ruleid: tainted-os-command
    proc = await asyncio.create_subprocess_shell(f"mogrify -resize {width} {path}")
    await proc.wait()
    return {"ok": True}


@api.post("/resize/safe")
async def resize_safe(path: str, width: int):
    # ok: tainted-os-command
    proc = await asyncio.create_subprocess_exec("mogrify", "-resize", str(width), "--", path)
    await proc.wait()
    return {"ok": True}


@api.get("/version")
def tool_version(tool: str):
    # A parameter used as a program name without a shell is not followed (see the docs).
    # todoruleid: tainted-os-command
    return subprocess.run(tool, capture_output=True).stdout


@api.get("/version/v2")
def tool_version_v2(tool: str):
    # ruleid: tainted-os-command
    return subprocess.run([tool, "--version"], capture_output=True, executable=tool).stdout


# ---- Other sources ----------------------------------------------------------------


def agent_step(task):
    reply = llm.chat.completions.create(
        model="gpt-4o",
        messages=[{"role": "user", "content": "Give one shell command that does: " + task}],
    )
    command = reply.choices[0].message.content
    # ruleid: tainted-os-command
    return subprocess.run(command.strip(), shell=True, capture_output=True).stdout


def serve_once(port):
    sock = socket.create_server(("0.0.0.0", port))
    conn, _ = sock.accept()
    request_line = conn.recv(1024).decode()
    # ruleid: tainted-os-command
    os.system("logger " + request_line)


def main():
    # ruleid: tainted-os-command
    os.system("git checkout " + sys.argv[1])


# A helper that runs an argument list: the list items are not a shell command.
def run_argv(argv):
    # ok: tainted-os-command
    return subprocess.run(argv, check=True, capture_output=True).stdout


@app.route("/clone", methods=["POST"])
def clone():
    return run_argv(["git", "clone", "--", request.form["url"], "/srv/repo"])


def cleanup():
    # ok: tainted-os-command
    subprocess.run("rm -rf build/ dist/", shell=True, check=True)


# ---- an argument list that starts with a shell and -c, built up ---------------------


@app.route("/sh/append")
def sh_append():
    argv = ["sh", "-c"]
    argv.append("grep -r " + request.args["q"] + " /srv/logs")
    # ruleid: tainted-os-command
    return subprocess.check_output(argv)


@app.route("/sh/plus-equals")
def sh_plus_equals():
    argv = ["/bin/bash"]
    argv += ["-c", f"du -sh {request.args['dir']}"]
    # ruleid: tainted-os-command
    return subprocess.run(argv, capture_output=True).stdout


@app.route("/sh/constant")
def sh_constant():
    argv = ["sh", "-c"]
    argv.append("du -sh /srv/data")
    # ok: tainted-os-command
    return subprocess.check_output(argv)


@app.route("/du/list")
def du_list():
    # Not a shell: the directory is one argument of du.
    argv = ["du", "-sh"]
    argv.append(request.args["dir"])
    # ok: tainted-os-command
    return subprocess.check_output(argv)
