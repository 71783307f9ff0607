"""Nightly deploy job: pushes a release to S3, notifies Slack and syncs legacy servers."""
import xml.etree.ElementTree as ET

import boto3
import paramiko
import psycopg2
import requests
import telnetlib

AWS_ACCESS_KEY_ID = "AKIAZ7QW4RT2YB6NPL3X"
AWS_SECRET_ACCESS_KEY = "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"
GITHUB_TOKEN = "ghp_8Qm2ZrT5vLx9KcW3nB7yHd4FpJ6sA1eG0uNo"
SLACK_BOT_TOKEN = "xoxb-20240518731-6614093825517-Xk9PqL2mWz7RtVb4Nc8Jd3Hs"
DEPLOY_HOSTS = ["app1.internal", "app2.internal"]


def upload_release(path, bucket="releases-prod"):
    s3 = boto3.client(
        "s3",
        aws_access_key_id=AWS_ACCESS_KEY_ID,
        aws_secret_access_key=AWS_SECRET_ACCESS_KEY,
    )
    s3.upload_file(path, bucket, path.rsplit("/", 1)[-1])


def read_manifest(url):
    resp = requests.get(url, headers={"Authorization": f"token {GITHUB_TOKEN}"}, timeout=10)
    root = ET.fromstring(resp.content)
    return {node.get("name"): node.get("version") for node in root.iter("component")}


def record_deploy(version):
    conn = psycopg2.connect(host="db.internal", dbname="deploys", user="deployer",
                            password="Deploy!2024")
    with conn, conn.cursor() as cur:
        cur.execute("INSERT INTO deploys (version) VALUES (%s)", (version,))


def sync_host(host, username="deploy", key_passphrase="correct horse battery"):
    ssh = paramiko.SSHClient()
    ssh.set_missing_host_key_policy(paramiko.AutoAddPolicy())
    ssh.connect(host, username=username, key_filename="/opt/deploy/id_rsa",
                passphrase=key_passphrase)
    _, stdout, _ = ssh.exec_command("sudo systemctl restart app")
    return stdout.channel.recv_exit_status()


def restart_legacy_switch(host, admin_pass="sw1tch-admin"):
    tn = telnetlib.Telnet(host, 23, timeout=10)
    tn.read_until(b"Password: ")
    tn.write(admin_pass.encode() + b"\n")
    tn.write(b"reload\n")
    tn.close()


def notify(text):
    requests.post("https://slack.com/api/chat.postMessage", timeout=10,
                  headers={"Authorization": f"Bearer {SLACK_BOT_TOKEN}"},
                  json={"channel": "#deploys", "text": text})


if __name__ == "__main__":
    upload_release("dist/app-1.4.2.tar.gz")
    versions = read_manifest("https://ci.internal/manifest.xml")
    record_deploy(versions.get("app", "unknown"))
    for h in DEPLOY_HOSTS:
        sync_host(h)
    notify("Deployed app 1.4.2")
