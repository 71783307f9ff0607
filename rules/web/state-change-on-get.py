import os
import shutil

from django.views.decorators.http import require_GET, require_POST
from fastapi import FastAPI
from flask import Flask, redirect, request

from shop.models import Post, db

app = Flask(__name__)
api = FastAPI()


@app.route("/posts/<int:pid>/delete")
# ruleid: state-change-on-get
def delete_post(pid):
    db.session.delete(Post.query.get_or_404(pid))
    db.session.commit()
    return redirect("/")


@app.route("/posts/<int:pid>/delete/v2", methods=["POST"])
# ok: state-change-on-get
def delete_post_v2(pid):
    db.session.delete(Post.query.get_or_404(pid))
    db.session.commit()
    return redirect("/")


@app.route("/files/<name>/remove", methods=["GET"])
# ruleid: state-change-on-get
def remove_file(name):
    os.remove(os.path.join("/srv/files", os.path.basename(name)))
    return "removed"


@api.get("/cache/reset")
# ruleid: state-change-on-get
def reset_cache():
    shutil.rmtree("/tmp/cache")
    return {"ok": True}


@app.route("/posts/<int:pid>/edit", methods=["GET", "POST"])
# ok: state-change-on-get
def edit_post(pid):
    post = Post.query.get_or_404(pid)
    if request.method == "POST":
        post.title = request.form["title"]
        db.session.commit()
    return "form"


@app.route("/proxy/purge")
# ok: state-change-on-get
def purge_upstream():
    import requests

    requests.delete("https://cdn.example.com/purge", timeout=5)
    return "ok"


@app.route("/posts")
# ok: state-change-on-get
def list_posts():
    return [p.title for p in Post.query.all()]


@require_GET
# ruleid: state-change-on-get
def unsubscribe(request, sub_id):
    request.user.subscriptions.filter(id=sub_id).delete()
    return redirect("/")


@require_POST
# ok: state-change-on-get
def unsubscribe_post(request, sub_id):
    request.user.subscriptions.filter(id=sub_id).delete()
    return redirect("/")
