# exercises: flows across files: a helper returning request data is a source where it is called; one returning a constant is not
from flask import request


def current_search():
    return request.args.get("q", "")


def default_search():
    return "latest"
