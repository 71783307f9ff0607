import shlex
import os
import subprocess
from os import popen


def ping(host):
    # ruleid: os-command-injection
    return os.system("ping -c 1 " + host)


def backup(path):
    # ruleid: os-command-injection
    os.system(f"tar czf /backups/site.tgz {path}")


def tail_log(name):
    # ruleid: os-command-injection
    with os.popen("tail -n 50 /var/log/%s" % name) as fh:
        return fh.read()


def disk_usage(directory):
    command = "du -sh {}".format(directory)
    # ruleid: os-command-injection
    return popen(command).read()


def run_in_shell(cmd):
    # ruleid: os-command-injection
    return os.spawnl(os.P_WAIT, "/bin/sh", "sh", "-c", cmd)


def run_in_bash(cmd):
    # ruleid: os-command-injection
    return os.spawnvp(os.P_WAIT, "bash", ["bash", "-c", cmd])


def replace_with_shell(cmd):
    # ruleid: os-command-injection
    os.execl("/bin/sh", "sh", "-c", cmd)


def clear_screen():
    # ok: os-command-injection
    os.system("clear")


def uptime():
    command = "uptime"
    # ok: os-command-injection
    return os.popen(command).read()


def ping_safe(host):
    # ok: os-command-injection
    return subprocess.run(["ping", "-c", "1", host], check=True)


def list_dir(path):
    # ok: os-command-injection
    return os.spawnl(os.P_WAIT, "/bin/ls", "ls", "-l", path)


def exec_tool(path):
    # ok: os-command-injection
    os.execv("/usr/bin/shred", ["shred", "-u", path])


def make_clean():
    # ok: os-command-injection
    return os.spawnl(os.P_WAIT, "/bin/sh", "sh", "-c", "make clean")


def rebuild(target):
    cmd = "make " + target
    if target == "all":
        cmd = "make"
    # The constant is assigned in a branch: the built command may still run.
    # ruleid: os-command-injection
    os.system(cmd)


def restart(service):
    cmd = "systemctl restart " + service
    cmd = "systemctl restart nginx"
    # The last assignment always runs before the call: the command is a constant.
    # ok: os-command-injection
    os.system(cmd)


def poll_jobs(jobs):
    cmd = "true"
    for job in jobs:
        # On the second round `cmd` holds the job's command.
        # ruleid: os-command-injection
        os.system(cmd)
        cmd = job.command


DISK_USAGE = "df -h"


def disk_usage():
    # A module constant.
    # ok: os-command-injection
    return os.popen(DISK_USAGE).read()


def archive(name):
    # ok: os-command-injection
    os.system("tar czf /backups/{}.tgz /srv/site".format(shlex.quote(name)))


def run_configured(settings):
    # ruleid: os-command-injection
    os.system(settings.BACKUP_COMMAND)
