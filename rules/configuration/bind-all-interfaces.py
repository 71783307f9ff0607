import os
import socket
import socketserver
from http.server import HTTPServer, SimpleHTTPRequestHandler

import uvicorn
from flask import Flask

app = Flask(__name__)


class EchoHandler(socketserver.BaseRequestHandler):
    def handle(self):
        self.request.sendall(self.request.recv(1024))


def serve_raw(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # ruleid: bind-all-interfaces
    sock.bind(("0.0.0.0", port))
    sock.listen()
    return sock


def serve_raw_ipv6(port):
    sock = socket.socket(socket.AF_INET6, socket.SOCK_STREAM)
    # ruleid: bind-all-interfaces
    sock.bind(("::", port))
    sock.listen()
    return sock


def serve_raw_empty_host(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # ruleid: bind-all-interfaces
    sock.bind(("", port))
    sock.listen()
    return sock


def serve_local(port):
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    # ok: bind-all-interfaces
    sock.bind(("127.0.0.1", port))
    sock.listen()
    return sock


def serve_files():
    # ruleid: bind-all-interfaces
    httpd = HTTPServer(("0.0.0.0", 8000), SimpleHTTPRequestHandler)
    httpd.serve_forever()


def serve_files_locally():
    # ok: bind-all-interfaces
    httpd = HTTPServer(("127.0.0.1", 8000), SimpleHTTPRequestHandler)
    httpd.serve_forever()


def serve_echo():
    # ruleid: bind-all-interfaces
    with socketserver.TCPServer(("0.0.0.0", 9000), EchoHandler) as server:
        server.serve_forever()


def serve_api():
    # ruleid: bind-all-interfaces
    uvicorn.run("service.main:app", host="0.0.0.0", port=8001)


def serve_api_configured():
    # ok: bind-all-interfaces
    uvicorn.run("service.main:app", host=os.environ.get("API_HOST", "127.0.0.1"), port=8001)


if __name__ == "__main__":
    if os.environ.get("EXPOSE") == "1":
        # ruleid: bind-all-interfaces
        app.run(host="0.0.0.0", port=8080)
    else:
        # ok: bind-all-interfaces
        app.run(host="127.0.0.1", port=8080)
