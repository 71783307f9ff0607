import os
import stat
from pathlib import Path

KEY_PATH = "/etc/myapp/server.key"


def save_private_key(pem: bytes):
    with open("server.key", "wb") as f:
        f.write(pem)
    # ruleid: secret-file-world-readable
    os.chmod("server.key", 0o644)


def save_ssh_key(home: Path, pem: bytes):
    key_file = home / ".ssh" / "id_ed25519"
    key_file.write_bytes(pem)
    # ruleid: secret-file-world-readable
    key_file.chmod(0o644)


def save_token(token: str):
    # ruleid: secret-file-world-readable
    fd = os.open("/var/lib/app/api_token", os.O_WRONLY | os.O_CREAT, 0o644)
    os.write(fd, token.encode())


def save_credentials(path, data):
    # ruleid: secret-file-world-readable
    os.chmod(KEY_PATH, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IROTH)


def touch_secrets():
    # ruleid: secret-file-world-readable
    Path("secrets.env").touch(mode=0o444)


def save_private_key_safe(pem: bytes):
    with open("server.key", "wb") as f:
        f.write(pem)
    # ok: secret-file-world-readable
    os.chmod("server.key", 0o600)


def save_ssh_key_safe(home: Path, pem: bytes):
    key_file = home / ".ssh" / "id_ed25519"
    key_file.write_bytes(pem)
    # ok: secret-file-world-readable
    key_file.chmod(0o600)


def save_token_safe(token: str):
    # ok: secret-file-world-readable
    fd = os.open("/var/lib/app/api_token", os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    os.write(fd, token.encode())


def publish_page(html: str):
    Path("public/index.html").write_text(html)
    # ok: secret-file-world-readable
    os.chmod("public/index.html", 0o644)


def share_public_key(pub: bytes):
    # a group-readable key file is not world-readable
    # ok: secret-file-world-readable
    os.chmod("server.key", 0o640)


def write_tls_key(key):
    pem = key.private_bytes(encoding, fmt, no_encryption)
    with open("tls/server.key", "wb") as f:
        # ruleid: secret-file-world-readable
        f.write(pem)


def write_ssh_key(pem: bytes):
    # ruleid: secret-file-world-readable
    Path("deploy/id_rsa").write_bytes(pem)


def write_tls_key_safe(key):
    pem = key.private_bytes(encoding, fmt, no_encryption)
    with open("tls/server.key", "wb") as f:
        # ok: secret-file-world-readable
        f.write(pem)
    os.chmod("tls/server.key", 0o600)


def write_ssh_key_safe(pem: bytes):
    target = Path("deploy/id_rsa")
    # ok: secret-file-world-readable
    target.write_bytes(pem)
    target.chmod(0o600)


def read_key():
    with open("tls/server.key", "rb") as f:
        # ok: secret-file-world-readable
        return f.read()


def write_public_cert(cert_pem: bytes):
    with open("tls/server.crt", "wb") as f:
        # ok: secret-file-world-readable
        f.write(cert_pem)
