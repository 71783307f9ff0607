import json

from bson import ObjectId
from flask import Flask, abort, request
from mongoengine import Document, StringField
from pymongo import MongoClient

app = Flask(__name__)
db = MongoClient()["shop"]
users = db.users


class Product(Document):
    name = StringField()


@app.post("/login")
def login():
    # ruleid: tainted-nosql-query
    user = db.users.find_one(request.get_json())
    return {"ok": user is not None}


@app.post("/login-safe")
def login_safe():
    data = request.get_json()
    # ok: tainted-nosql-query
    user = db.users.find_one({"username": str(data["username"])})
    return {"ok": user is not None}


@app.get("/search")
def search():
    query = request.args.to_dict()
    # ruleid: tainted-nosql-query
    return {"items": list(db["products"].find(query))}


@app.get("/search-safe")
def search_safe():
    # ok: tainted-nosql-query
    return {"items": list(db["products"].find({"name": request.args.get("name", "")}))}


@app.get("/where")
def where():
    name = request.args["name"]
    # ruleid: tainted-nosql-query
    return {"items": list(users.find({"$where": f"this.name == '{name}'"}))}


@app.get("/where-const")
def where_const():
    # ok: tainted-nosql-query
    return {"items": list(users.find({"$where": "this.stock < this.reorder_level"}))}


@app.get("/by-field")
def by_field():
    field = request.args["field"]
    # ruleid: tainted-nosql-query
    return {"n": users.count_documents({field: request.args["value"]})}


@app.get("/by-id/<item_id>")
def by_id(item_id):
    # ok: tainted-nosql-query
    return {"item": db.items.find_one({"_id": ObjectId(item_id)})}


@app.delete("/bulk")
def bulk_delete():
    criteria = json.loads(request.data)
    # ruleid: tainted-nosql-query
    db.orders.delete_many(criteria)
    return "", 204


@app.post("/report")
def report():
    pipeline = request.get_json()["pipeline"]
    # ruleid: tainted-nosql-query
    return {"rows": list(db.orders.aggregate(pipeline))}


@app.post("/report-safe")
def report_safe():
    status = str(request.get_json()["status"])
    # ok: tainted-nosql-query
    return {"rows": list(db.orders.aggregate([{"$match": {"status": status}}, {"$count": "n"}]))}


@app.post("/profile")
def update_profile():
    changes = request.get_json()
    # ruleid: tainted-nosql-query
    users.update_one({"_id": ObjectId(request.args["id"])}, changes)
    return "", 204


@app.post("/profile-safe")
def update_profile_safe():
    changes = request.get_json()
    # ok: tainted-nosql-query
    users.update_one({"_id": ObjectId(request.args["id"])}, {"$set": {"bio": str(changes["bio"])}})
    return "", 204


def django_raw(request):
    # ruleid: tainted-nosql-query
    return Product.objects(__raw__=json.loads(request.body))


def django_raw_safe(request):
    # ok: tainted-nosql-query
    return Product.objects(__raw__={"name": request.GET.get("name", "")})


@app.get("/text")
def text_search():
    text = "catalogue of products"
    # ok: tainted-nosql-query
    position = text.find(request.args["needle"])
    return {"pos": position}
