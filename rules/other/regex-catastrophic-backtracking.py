import re
import re as regexp
from re import compile as re_compile

import regex
from flask import Flask, request

app = Flask(__name__)

# ruleid: regex-catastrophic-backtracking
EMAIL = re.compile(r"^([a-zA-Z0-9]+\.?)+@example\.com$")

# ok: regex-catastrophic-backtracking
EMAIL_LINEAR = re.compile(r"^[a-zA-Z0-9]+(?:\.[a-zA-Z0-9]+)*@example\.com$")

# ruleid: regex-catastrophic-backtracking
USERNAME = regexp.compile(r"^(\w+\s?)*$")

# ok: regex-catastrophic-backtracking
USERNAME_LINEAR = regexp.compile(r"^\w+(?:\s\w+)*$")

# ok: regex-catastrophic-backtracking
VERSION = re.compile(r"^(\d+\.)+\d+$")

# ok: regex-catastrophic-backtracking
ZIP_CODE = re.compile(r"^\d{5}(-\d{4})?$")


@app.get("/check")
def check():
    value = request.args.get("value", "")
    # ruleid: regex-catastrophic-backtracking
    if re.match(r"^(a+)+$", value):
        return "match"
    # ok: regex-catastrophic-backtracking
    if re.fullmatch(r"^a+$", value):
        return "match"
    return "no"


@app.get("/csv")
def csv_line():
    line = request.args.get("line", "")
    # ruleid: regex-catastrophic-backtracking
    return {"ok": bool(re.search("(.*,){12}end", line))}


@app.get("/words")
def words():
    text = request.args.get("text", "")
    # ruleid: regex-catastrophic-backtracking
    return {"words": regex.findall(r"(([a-z])+.)+[A-Z]", text)}


def split_fields(text):
    # ok: regex-catastrophic-backtracking
    return re.split(r"\s*,\s*", text)


def tokens(text):
    # ruleid: regex-catastrophic-backtracking
    return re.sub(pattern=r"(?:\d+)*x", repl="", string=text)


def table_rule(line):
    # ok: regex-catastrophic-backtracking
    return re.match("=+( +=+)+ *$", line)


def slug(text):
    # ok: regex-catastrophic-backtracking
    return re.sub(r"[^a-z0-9]+", "-", text.lower())


def validators():
    from django.core.validators import RegexValidator
    from wtforms.validators import Regexp

    # ruleid: regex-catastrophic-backtracking
    slug_validator = RegexValidator(r"^([a-z0-9]+-?)+$")
    # ok: regex-catastrophic-backtracking
    slug_validator_linear = RegexValidator(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")
    # ruleid: regex-catastrophic-backtracking
    name_validator = Regexp(regex=r"^(\w+\s?)*$")
    return slug_validator, slug_validator_linear, name_validator
