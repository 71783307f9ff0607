import os
import shutil

from django.views.decorators.http import require_GET, require_POST
from fastapi import FastAPI
from flask import Flask, redirect, request

from shop.models import Post, db

app = Flask(__name__)
api = FastAPI()


@app.route("/posts/<int:pid>/delete")
def delete_post(pid):
    # ruleid: state-change-on-get
    db.session.delete(Post.query.get_or_404(pid))
    db.session.commit()
    return redirect("/")


@app.route("/posts/<int:pid>/delete/v2", methods=["POST"])
def delete_post_v2(pid):
    # ok: state-change-on-get
    db.session.delete(Post.query.get_or_404(pid))
    db.session.commit()
    return redirect("/")


@app.route("/files/<name>/remove", methods=["GET"])
def remove_file(name):
    # ruleid: state-change-on-get
    os.remove(os.path.join("/srv/files", os.path.basename(name)))
    return "removed"


@api.get("/cache/reset")
def reset_cache():
    # ruleid: state-change-on-get
    shutil.rmtree("/tmp/cache")
    return {"ok": True}


@app.route("/posts/<int:pid>/edit", methods=["GET", "POST"])
def edit_post(pid):
    post = Post.query.get_or_404(pid)
    if request.method == "POST":
        post.title = request.form["title"]
        # ok: state-change-on-get
        db.session.commit()
    return "form"


@app.route("/proxy/purge")
def purge_upstream():
    import requests

    # ok: state-change-on-get
    requests.delete("https://cdn.example.com/purge", timeout=5)
    return "ok"


@require_GET
def unsubscribe(request, sub_id):
    # ruleid: state-change-on-get
    request.user.subscriptions.filter(id=sub_id).delete()
    return redirect("/")


@require_POST
def unsubscribe_post(request, sub_id):
    # ok: state-change-on-get
    request.user.subscriptions.filter(id=sub_id).delete()
    return redirect("/")
