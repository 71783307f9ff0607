#!/usr/bin/env python3
"""Serves web/dist on http://127.0.0.1:8080 (or --port) the way a static host that reads `_headers`
(Netlify, Cloudflare Pages) would: the headers listed for `/*` in the site's `_headers` file (the
CSP with frame-ancestors, ...; from web/_headers), correct MIME types (application/wasm), no
caching. Without a `_headers` file it sends no security headers, like a plain static host.
Local development only; the site itself is static files."""
import argparse
import functools
import http.server
import os
import sys


def read_headers(path):
    """The (name, value) pairs of the `/*` block of a `_headers` file; [] when there is none."""
    try:
        with open(path, encoding="utf-8") as f:
            lines = f.read().splitlines()
    except FileNotFoundError:
        print(f"serve.py: no {path}: serving without security headers", file=sys.stderr)
        return []
    out, in_all = [], False
    for line in lines:
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if not line[0].isspace():
            in_all = line.strip() == "/*"
        elif in_all and ":" in line:
            name, value = line.strip().split(":", 1)
            out.append((name.strip(), value.strip()))
    return out


class Handler(http.server.SimpleHTTPRequestHandler):
    extensions_map = {
        **http.server.SimpleHTTPRequestHandler.extensions_map,
        ".wasm": "application/wasm", ".js": "text/javascript", ".mjs": "text/javascript",
        ".css": "text/css", ".svg": "image/svg+xml", ".json": "application/json", ".html": "text/html",
        ".tsv": "text/tab-separated-values; charset=utf-8", ".txt": "text/plain; charset=utf-8",
    }

    def __init__(self, *args, site_headers=(), **kwargs):
        self.site_headers = site_headers
        super().__init__(*args, **kwargs)

    def end_headers(self):
        for name, value in self.site_headers:
            self.send_header(name, value)
        self.send_header("Cache-Control", "no-cache")
        super().end_headers()

    def log_message(self, fmt, *args):
        if os.environ.get("PYWARD_SERVE_QUIET") != "1":
            super().log_message(fmt, *args)


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--port", type=int, default=8080)
    ap.add_argument("--dir", default=os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "web", "dist"))
    args = ap.parse_args()
    site = os.path.abspath(args.dir)
    handler = functools.partial(Handler, directory=site, site_headers=read_headers(os.path.join(site, "_headers")))
    with http.server.ThreadingHTTPServer(("127.0.0.1", args.port), handler) as httpd:
        print(f"pyward playground: http://127.0.0.1:{httpd.server_address[1]}/  (Ctrl-C to stop)", flush=True)
        httpd.serve_forever()


if __name__ == "__main__":
    main()
