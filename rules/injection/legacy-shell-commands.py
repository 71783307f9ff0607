# Python 2 code: the commands and popen2 modules no longer exist in Python 3,
# but this file still parses as Python 3.
import commands
import popen2
import subprocess
from popen2 import Popen3


def recent_commits(branch):
    # ruleid: legacy-shell-commands
    return commands.getoutput("git log --oneline " + branch)


def check_service(name):
    # ruleid: legacy-shell-commands
    status, output = commands.getstatusoutput("service %s status" % name)
    return status == 0


def run(cmd):
    # ruleid: legacy-shell-commands
    child_out, child_in = popen2.popen2(cmd)
    return child_out.read()


def ping(host):
    # ruleid: legacy-shell-commands
    proc = Popen3("ping -c 1 {}".format(host), True)
    return proc.wait()


def load_average():
    # ok: legacy-shell-commands
    return commands.getoutput("cat /proc/loadavg")


def ping_list(host):
    # ok: legacy-shell-commands
    child_out, child_in = popen2.popen2(["ping", "-c", "1", host])
    return child_out.read()


def recent_commits_safe(branch):
    # ok: legacy-shell-commands
    return subprocess.run(["git", "log", "--oneline", branch, "--"], capture_output=True, text=True).stdout
