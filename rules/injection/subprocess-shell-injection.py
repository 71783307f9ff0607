import shlex
import subprocess
from subprocess import Popen, check_output


def list_dir(path):
    # ruleid: subprocess-shell-injection
    return subprocess.run(f"ls -l {path}", shell=True, capture_output=True, check=True)


def grep(pattern, filename):
    # ruleid: subprocess-shell-injection
    return check_output("grep " + pattern + " " + filename, shell=True)


def convert(src, dst):
    # ruleid: subprocess-shell-injection
    proc = Popen(
        "convert %s %s" % (src, dst),
        shell=True,
    )
    return proc.wait()


def run_user_command(cmd):
    use_shell = True
    # ruleid: subprocess-shell-injection
    return subprocess.call(cmd, shell=use_shell)


def disk_usage(directory):
    # ruleid: subprocess-shell-injection
    return subprocess.getoutput("du -sh " + directory)


def service_status(unit):
    # ruleid: subprocess-shell-injection
    code, output = subprocess.getstatusoutput(f"systemctl status {unit}")
    return code == 0, output


def run_keyword(command_line):
    # ruleid: subprocess-shell-injection
    return subprocess.check_call(args=command_line, shell=True)


def list_dir_safe(path):
    # ok: subprocess-shell-injection
    return subprocess.run(["ls", "-l", "--", path], capture_output=True, check=True)


def grep_safe(pattern, filename):
    # ok: subprocess-shell-injection
    return check_output(["grep", "-e", pattern, "--", filename])


def cleanup():
    # ok: subprocess-shell-injection
    subprocess.run("rm -rf build/ dist/", shell=True, check=True)


def run_args(argv):
    # ok: subprocess-shell-injection
    return subprocess.call(argv, shell=False)


def cleanup_keyword():
    # ok: subprocess-shell-injection
    return subprocess.check_call(args="make clean", shell=True)


def uptime():
    # ok: subprocess-shell-injection
    return subprocess.getoutput("uptime")


def list_reports():
    cmd = "ls -l /srv/reports"
    # The command is a constant, assigned above: nothing to inject.
    # ok: subprocess-shell-injection
    return subprocess.run(cmd, shell=True, capture_output=True, check=True)


def count_lines(filename):
    cmd = "wc -l " + shlex.quote(filename)
    # The only variable part is quoted for the shell.
    # ok: subprocess-shell-injection
    return subprocess.check_output(cmd, shell=True)


def run_given(cmd):
    # The command comes from the caller: nothing proves it constant.
    # ruleid: subprocess-shell-injection
    return subprocess.run(cmd, shell=True, check=True)


class Deployer:
    def deploy(self):
        # An attribute's value is not known here.
        # ruleid: subprocess-shell-injection
        return subprocess.run(self.command, shell=True, check=True)


def archive(name):
    # A list with shell=True runs only its first item as the shell command: the fix drops shell=True.
    # ruleid: subprocess-shell-injection
    return subprocess.run(["tar", "czf", name + ".tgz", name], shell=True, check=True)
