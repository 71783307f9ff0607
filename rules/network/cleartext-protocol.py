import ftplib
import telnetlib
from ftplib import FTP, FTP_TLS

import paramiko

ROUTER = "10.0.0.1"
FILE_SERVER = "files.example.com"


def router_uptime(user, password):
    # ruleid: cleartext-protocol
    tn = telnetlib.Telnet(ROUTER, 23, timeout=10)
    tn.read_until(b"login: ")
    tn.write(user.encode() + b"\n")
    tn.read_until(b"Password: ")
    tn.write(password.encode() + b"\n")
    tn.write(b"show uptime\nexit\n")
    return tn.read_all()


def upload_backup(path, password):
    # ruleid: cleartext-protocol
    ftp = ftplib.FTP(FILE_SERVER)
    ftp.login("backup", password)
    with open(path, "rb") as fh:
        ftp.storbinary("STOR backup.tar.gz", fh)
    ftp.quit()


def list_files(password):
    # ruleid: cleartext-protocol
    with FTP(FILE_SERVER, user="reader", passwd=password) as ftp:
        return ftp.nlst()


def upload_backup_tls(path, password):
    # ok: cleartext-protocol
    ftp = ftplib.FTP_TLS(FILE_SERVER)
    ftp.login("backup", password)
    ftp.prot_p()
    with open(path, "rb") as fh:
        ftp.storbinary("STOR backup.tar.gz", fh)
    ftp.quit()


def list_files_tls(password):
    # ok: cleartext-protocol
    with FTP_TLS(FILE_SERVER, user="reader", passwd=password) as ftp:
        ftp.prot_p()
        return ftp.nlst()


def router_uptime_ssh(user, key_file):
    client = paramiko.SSHClient()
    client.load_system_host_keys()
    # ok: cleartext-protocol
    client.connect(ROUTER, username=user, key_filename=key_file)
    _, stdout, _ = client.exec_command("show uptime")
    return stdout.read()
