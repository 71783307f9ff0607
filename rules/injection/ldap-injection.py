import re
import sys

import ldap
import ldap3
from django.http import JsonResponse
from fastapi import FastAPI
from flask import Flask, abort, jsonify, request
from ldap.filter import escape_filter_chars, filter_format
from ldap3 import SUBTREE, Connection, Server
from ldap3.utils.conv import escape_filter_chars as escape_ldap3

app = Flask(__name__)
api = FastAPI()

BASE_DN = "ou=people,dc=example,dc=com"
server = Server("ldaps://ldap.example.com")


def directory():
    conn = ldap.initialize("ldaps://ldap.example.com")
    conn.simple_bind_s("cn=reader,dc=example,dc=com", "secret")
    return conn


# ---- python-ldap ------------------------------------------------------------------


@app.route("/people")
def find_person():
    name = request.args["name"]
    conn = directory()
    # ruleid: ldap-injection
    entries = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(&(uid={name})(objectClass=person))")
    return jsonify([dn for dn, _ in entries])


@app.route("/people/safe")
def find_person_safe():
    name = request.args["name"]
    conn = directory()
    # ok: ldap-injection
    entries = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, f"(&(uid={escape_filter_chars(name)})(objectClass=person))")
    return jsonify([dn for dn, _ in entries])


@app.route("/people/format")
def find_person_format():
    conn = directory()
    # ok: ldap-injection
    entries = conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, filter_format("(mail=%s)", [request.args["mail"]]))
    return jsonify([dn for dn, _ in entries])


@app.route("/groups/<group>")
def group_members(group):
    conn = directory()
    # ruleid: ldap-injection
    msgid = conn.search("ou=groups,dc=example,dc=com", ldap.SCOPE_ONELEVEL, "(cn=" + group + ")", ["member"])
    return jsonify(conn.result(msgid))


def login(username, password):
    conn = directory()
    # A helper: the user name comes from the login form below.
    result = conn.search_ext_s(BASE_DN, ldap.SCOPE_SUBTREE, filterstr="(uid=%s)" % username)
    if not result:
        return False
    dn = result[0][0]
    try:
        directory().simple_bind_s(dn, password)
        return True
    except ldap.INVALID_CREDENTIALS:
        return False


@app.route("/login", methods=["POST"])
def login_view():
    # ruleid: ldap-injection
    if not login(request.form["username"], request.form["password"]):
        abort(401)
    return "", 204


@app.route("/people/by-id")
def person_by_id():
    employee = int(request.args["id"])
    conn = directory()
    # ok: ldap-injection
    return jsonify(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(employeeNumber=%d)" % employee))


@app.route("/people/search")
def advanced_search():
    # Moved through a dict, then an f-string.
    criteria = {"attr": "cn", "value": request.args["q"]}
    flt = f"({criteria['attr']}={criteria['value']}*)"
    conn = directory()
    # ruleid: ldap-injection
    return jsonify(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, flt))


@app.route("/people/fixed")
def fixed_filter():
    flt = request.args.get("filter", "(objectClass=person)")
    # Overwritten with a constant before the search.
    flt = "(objectClass=person)"
    conn = directory()
    # ok: ldap-injection
    return jsonify(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, flt))


# ---- ldap3 ------------------------------------------------------------------------


@app.route("/v3/people")
def find_person_v3():
    mail = request.args["mail"]
    conn = Connection(server, "cn=reader,dc=example,dc=com", "secret", auto_bind=True)
    # ruleid: ldap-injection
    conn.search(BASE_DN, "(mail=%s)" % mail, attributes=["cn", "mail"])
    return jsonify([e.entry_to_json() for e in conn.entries])


@app.route("/v3/people/safe")
def find_person_v3_safe():
    mail = request.args["mail"]
    conn = Connection(server, "cn=reader,dc=example,dc=com", "secret", auto_bind=True)
    # ok: ldap-injection
    conn.search(BASE_DN, "(mail=%s)" % escape_ldap3(mail), attributes=["cn", "mail"])
    return jsonify([e.entry_to_json() for e in conn.entries])


def django_lookup(request):
    department = request.GET["department"]
    with ldap3.Connection(server, auto_bind=True) as conn:
        # ruleid: ldap-injection
        conn.search(BASE_DN, "(department=" + department + ")")
        names = [str(e.cn) for e in conn.entries]
    return JsonResponse({"names": names})


@api.get("/directory")
def directory_search(filter_text: str):
    conn = Connection(server, auto_bind=True)
    # ruleid: ldap-injection
    conn.search(search_base=BASE_DN, search_filter=filter_text, search_scope=SUBTREE)
    return {"entries": [e.entry_to_json() for e in conn.entries]}


@app.route("/v3/paged")
def paged():
    conn = Connection(server, auto_bind=True)
    # ruleid: ldap-injection
    pages = conn.extend.standard.paged_search(BASE_DN, request.args.get("filter"), paged_size=100)
    return jsonify([p["dn"] for p in pages])


# ---- not LDAP ---------------------------------------------------------------------


@app.route("/grep")
def grep_names():
    pattern = request.args["pattern"]
    # ok: ldap-injection
    match = re.search(pattern, "alice bob carol")
    return jsonify(bool(match))


def main():
    conn = directory()
    # ruleid: ldap-injection
    print(conn.search_s(BASE_DN, ldap.SCOPE_SUBTREE, "(uid=%s)" % sys.argv[1]))
