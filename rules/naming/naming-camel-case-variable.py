from flask import request

MAX_UPLOAD_SIZE = 10 * 1024 * 1024
# ruleid: naming-camel-case-variable
default_page_size = 20


def func_createUser():
    # ruleid: naming-camel-case-variable
    user_name = request.form["name"]
    # ruleid: naming-camel-case-variable
    display_name: str = user_name.title()
    # ruleid: naming-camel-case-variable
    _retry_count = 3
    # ok: naming-camel-case-variable
    userName = request.form["name"]
    # ok: naming-camel-case-variable
    email = request.form["email"]
    # ok: naming-camel-case-variable
    PAGE_LIMIT = 50
    return userName, email, display_name, _retry_count, PAGE_LIMIT


class Account:
    def __init__(self, owner_name):
        # An attribute is not a variable.
        # ok: naming-camel-case-variable
        self.owner_name = owner_name
