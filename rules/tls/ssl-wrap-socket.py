import socket
import ssl
from ssl import wrap_socket


def connect(host):
    sock = socket.create_connection((host, 443))
    # ruleid: ssl-wrap-socket
    return ssl.wrap_socket(sock)


def connect_with_ca(host):
    sock = socket.create_connection((host, 443))
    # ruleid: ssl-wrap-socket
    return wrap_socket(sock, ca_certs="/etc/ssl/certs/ca.pem", cert_reqs=ssl.CERT_REQUIRED)


def server_socket(sock):
    # ruleid: ssl-wrap-socket
    return ssl.wrap_socket(sock, server_side=True, certfile="server.pem", ssl_version=ssl.PROTOCOL_TLS_SERVER)


def connect_safe(host):
    context = ssl.create_default_context()
    sock = socket.create_connection((host, 443))
    # ok: ssl-wrap-socket
    return context.wrap_socket(sock, server_hostname=host)


def server_socket_safe(sock):
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain("server.pem")
    # ok: ssl-wrap-socket
    return context.wrap_socket(sock, server_side=True)
