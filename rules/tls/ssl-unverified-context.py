import socket
import ssl
import urllib.request

HOST = "api.example.com"


def fetch_insecure(url):
    # ruleid: ssl-unverified-context
    ctx = ssl._create_unverified_context()
    with urllib.request.urlopen(url, context=ctx) as resp:
        return resp.read()


def disable_verification_globally():
    # ruleid: ssl-unverified-context
    ssl._create_default_https_context = ssl._create_unverified_context


def make_lax_context():
    ctx = ssl.create_default_context()
    # ruleid: ssl-unverified-context
    ctx.check_hostname = False
    # ruleid: ssl-unverified-context
    ctx.verify_mode = ssl.CERT_NONE
    return ctx


def legacy_connect():
    sock = socket.create_connection((HOST, 443))
    # ruleid: ssl-unverified-context
    return ssl.wrap_socket(sock, cert_reqs=ssl.CERT_NONE)


def fetch_secure(url):
    # ok: ssl-unverified-context
    ctx = ssl.create_default_context()
    with urllib.request.urlopen(url, context=ctx) as resp:
        return resp.read()


def make_strict_context(cafile):
    ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    ctx.load_verify_locations(cafile=cafile)
    # ok: ssl-unverified-context
    ctx.check_hostname = True
    # ok: ssl-unverified-context
    ctx.verify_mode = ssl.CERT_REQUIRED
    return ctx


def connect_secure():
    ctx = ssl.create_default_context()
    sock = socket.create_connection((HOST, 443))
    # ok: ssl-unverified-context
    return ctx.wrap_socket(sock, server_hostname=HOST)
