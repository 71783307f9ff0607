# exercises: a value rejected when it holds a quote, or whose quotes are escaped, before it is put in a quoted XPath literal is clean; an unchecked value is XPath injection
from flask import Flask, abort, jsonify, request
from lxml import etree

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)

USERS = etree.fromstring(b"<users><user name='ana' role='admin'/></users>")


@app.route("/users/role")
def user_role():
    name = request.args.get("name", "")
    if "'" in name:
        abort(400)
    # ok: xpath-injection
    nodes = USERS.xpath(f"//user[@name='{name}']/@role")
    return jsonify([str(n) for n in nodes])


@app.route("/users/role-escaped")
def user_role_escaped():
    name = request.args.get("name", "").replace("'", "&apos;")
    # ok: xpath-injection
    nodes = USERS.xpath("//user[@name='" + name + "']/@role")
    return jsonify([str(n) for n in nodes])


@app.route("/users/role-unchecked")
def user_role_unchecked():
    name = request.args.get("name", "")
    if "'" in name:
        app.logger.warning("quote in a user name")
    # the check does not stop the request
    # ruleid: xpath-injection
    nodes = USERS.xpath(f"//user[@name='{name}']/@role")
    return jsonify([str(n) for n in nodes])


@app.route("/users/role-raw")
def user_role_raw():
    name = request.args.get("name", "")
    # ruleid: xpath-injection
    nodes = USERS.xpath("//user[@name='%s']/@role" % name)
    return jsonify([str(n) for n in nodes])
