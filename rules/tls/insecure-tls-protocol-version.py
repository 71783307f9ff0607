import socket
import ssl
from ssl import PROTOCOL_TLSv1_1

from OpenSSL import SSL

HOST = "legacy.example.com"


def legacy_context():
    # ruleid: insecure-tls-protocol-version
    return ssl.SSLContext(ssl.PROTOCOL_TLSv1)


def legacy_socket(sock):
    # ruleid: insecure-tls-protocol-version
    return ssl.wrap_socket(sock, ssl_version=ssl.PROTOCOL_SSLv3)


# ruleid: insecure-tls-protocol-version
def connect(host, port=443, version=ssl.PROTOCOL_SSLv2):
    ctx = ssl.SSLContext(version)
    return ctx.wrap_socket(socket.create_connection((host, port)), server_hostname=host)


def imported_constant():
    # ruleid: insecure-tls-protocol-version
    return ssl.SSLContext(PROTOCOL_TLSv1_1)


def pyopenssl_context():
    # ruleid: insecure-tls-protocol-version
    return SSL.Context(SSL.TLSv1_METHOD)


def allow_old_clients(ctx):
    # ruleid: insecure-tls-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1
    return ctx


def modern_context():
    # ok: insecure-tls-protocol-version
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    # ok: insecure-tls-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1_2
    ctx.load_default_certs()
    return ctx


def default_context():
    ctx = ssl.create_default_context()
    # ok: insecure-tls-protocol-version
    ctx.minimum_version = ssl.TLSVersion.TLSv1_3
    return ctx


def pyopenssl_modern_context():
    # ok: insecure-tls-protocol-version
    ctx = SSL.Context(SSL.TLS_CLIENT_METHOD)
    ctx.set_min_proto_version(SSL.TLS1_2_VERSION)
    return ctx
