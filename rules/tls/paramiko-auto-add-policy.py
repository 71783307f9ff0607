import paramiko
from paramiko.client import WarningPolicy

HOST = "db.example.com"


def deploy(command):
    client = paramiko.SSHClient()
    # ruleid: paramiko-auto-add-policy
    client.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    client.connect(HOST, username="deploy")
    _, stdout, _ = client.exec_command(command)
    return stdout.read()


def backup():
    ssh = paramiko.SSHClient()
    # ruleid: paramiko-auto-add-policy
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy)
    ssh.connect(HOST, username="backup")
    return ssh


def monitor():
    ssh = paramiko.SSHClient()
    # ruleid: paramiko-auto-add-policy
    ssh.set_missing_host_key_policy(WarningPolicy())
    ssh.connect(HOST, username="monitor")
    return ssh


def deploy_safely(command):
    client = paramiko.SSHClient()
    # ok: paramiko-auto-add-policy
    client.load_system_host_keys()
    # ok: paramiko-auto-add-policy
    client.set_missing_host_key_policy(paramiko.RejectPolicy())
    client.connect(HOST, username="deploy")
    _, stdout, _ = client.exec_command(command)
    return stdout.read()


def connect_with_pinned_keys(known_hosts):
    client = paramiko.SSHClient()
    # ok: paramiko-auto-add-policy
    client.load_host_keys(known_hosts)
    client.connect(HOST, username="deploy")
    return client
