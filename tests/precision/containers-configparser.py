# exercises: configparser options are keyed by section and key: set() then get() of the same option carries the value, another option of the same object is clean
import configparser
import os

from flask import Flask, request

# ruleid: flask-https-not-enforced, flask-security-headers-missing
app = Flask(__name__)


@app.route("/backup")
# ruleid: state-change-on-get
def backup():
    conf = configparser.ConfigParser()
    conf.add_section("job")
    conf.set("job", "source", "/srv/data")
    conf.set("job", "label", request.args.get("label", ""))
    # ruleid: path-traversal-request-input
    os.remove(conf.get("job", "label"))
    # ok: path-traversal-request-input
    os.remove(conf.get("job", "source"))
    return "queued"


@app.route("/backup-items")
# ruleid: state-change-on-get
def backup_items():
    conf = configparser.RawConfigParser()
    conf.add_section("job")
    conf.set("job", "label", request.form["label"])
    conf.set("job", "label", "nightly")
    # ok: path-traversal-request-input
    os.remove(conf["job"]["label"])
    conf.set("job", "target", request.form["target"])
    # ruleid: path-traversal-request-input
    os.remove(conf["job"]["target"])
    return "queued"


@app.route("/backup-sections")
# ruleid: state-change-on-get
def backup_sections():
    conf = configparser.ConfigParser()
    conf.add_section("source")
    conf.add_section("target")
    conf.set("source", "path", request.args.get("path", ""))
    conf.set("target", "path", "/srv/backups")
    # ok: path-traversal-request-input
    os.remove(conf.get("target", "path"))
    # ruleid: path-traversal-request-input
    os.remove(conf["source"]["path"])
    return "queued"
