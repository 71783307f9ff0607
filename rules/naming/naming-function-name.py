import functools

from flask import Flask

app = Flask(__name__)


# ruleid: naming-function-name
def get_user(user_id):
    return {"id": user_id}


# ruleid: naming-function-name
def getUser(user_id):
    return {"id": user_id}


# ruleid: naming-function-name
def func_get_user(user_id):
    return {"id": user_id}


@app.route("/users/<int:user_id>")
# ruleid: naming-function-name
async def show_user(user_id):
    return get_user(user_id)


@functools.lru_cache
# ruleid: naming-function-name
def load(path):
    # ruleid: naming-function-name
    def parse_line(line):
        return line.strip()

    return [parse_line(x) for x in open(path)]


# ok: naming-function-name
def func_getUser(user_id):
    return {"id": user_id}


# ok: naming-function-name
async def func_showUser(user_id):
    return func_getUser(user_id)


# ok: naming-function-name
def func_load(path):
    return path


# A private helper keeps its underscore.
# ok: naming-function-name
def _normalise(value):
    return value.strip()


class Repository:
    # Methods are named by what they override: left alone.
    # ok: naming-function-name
    def __init__(self, db):
        self.db = db

    # ok: naming-function-name
    def get(self, key):
        return self.db[key]
