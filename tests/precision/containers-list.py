# exercises: lists are followed element by element through append, pop(0), pop(), insert, remove, extend, del and literal indices; an operation that is not understood falls back to the whole list
import os

from flask import Flask, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


@app.route("/purge")
# ruleid: state-change-on-get
def purge():
    param = request.args.get("file", "")
    stale_files = ["/tmp/cache.db"]
    stale_files.append(param)
    stale_files.append("/tmp/index.db")
    stale_files.pop(0)
    # ruleid: path-traversal-request-input
    os.remove(stale_files[0])
    # ok: path-traversal-request-input
    os.remove(stale_files[1])
    return "done"


@app.route("/purge-last")
# ruleid: state-change-on-get
def purge_last():
    stale_files = [request.args.get("file", ""), "/tmp/cache.db"]
    last = stale_files.pop()
    # ok: path-traversal-request-input
    os.remove(last)
    first = stale_files.pop()
    # ruleid: path-traversal-request-input
    os.remove(first)
    return "done"


@app.route("/purge-insert")
# ruleid: state-change-on-get
def purge_insert():
    stale_files = ["/tmp/cache.db", "/tmp/index.db"]
    stale_files.insert(1, request.args.get("file", ""))
    # ruleid: path-traversal-request-input
    os.remove(stale_files[-2])
    # ok: path-traversal-request-input
    os.remove(stale_files[-1])
    return "done"


@app.route("/purge-remove")
# ruleid: state-change-on-get
def purge_remove():
    stale_files = ["/tmp/cache.db", request.args.get("file", ""), "/tmp/index.db"]
    stale_files.remove("/tmp/cache.db")
    del stale_files[0]
    # ok: path-traversal-request-input
    os.remove(stale_files[0])
    return "done"


@app.route("/purge-extend")
# ruleid: state-change-on-get
def purge_extend():
    stale_files = []
    stale_files.extend(["/tmp/cache.db", request.args.get("file", "")])
    stale_files += ["/tmp/index.db"]
    # ruleid: path-traversal-request-input
    os.remove(stale_files[1])
    # ok: path-traversal-request-input
    os.remove(stale_files[2])
    return "done"


def sort_paths(items):
    items.sort()


@app.route("/purge-unknown")
# ruleid: state-change-on-get
def purge_unknown():
    stale_files = ["/tmp/cache.db", request.args.get("file", "")]
    # the helper may reorder the list: its elements are no longer known one by one
    sort_paths(stale_files)
    # ruleid: path-traversal-request-input
    os.remove(stale_files[0])
    return "done"


@app.route("/purge-branch")
# ruleid: state-change-on-get
def purge_branch():
    stale_files = ["/tmp/cache.db"]
    if request.args.get("extra"):
        stale_files.insert(0, request.args["file"])
    # ruleid: path-traversal-request-input
    os.remove(stale_files[0])
    return "done"


@app.route("/listing")
def listing():
    parts = [request.args.get("dir", ""), "/srv/public"]
    parts.reverse()
    # ok: path-traversal-request-input
    entries = os.listdir(parts[0])
    return {"entries": entries}
