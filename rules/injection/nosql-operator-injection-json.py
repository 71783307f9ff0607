from bson import ObjectId
from fastapi import FastAPI, Request
from flask import Flask, request as flask_request
from pydantic import BaseModel
from pymongo import MongoClient

app = Flask(__name__)
api = FastAPI()
db = MongoClient()["shop"]


class Credentials(BaseModel):
    username: str
    password: str


@app.post("/login")
def login():
    data = flask_request.get_json()
    # ruleid: nosql-operator-injection-json
    user = db.users.find_one({"username": data["username"], "active": True})
    return {"ok": user is not None}


@app.post("/login-safe")
def login_safe():
    data = flask_request.get_json()
    # ok: nosql-operator-injection-json
    user = db.users.find_one({"username": str(data["username"]), "active": True})
    return {"ok": user is not None}


@app.post("/reset")
def reset():
    token = flask_request.json.get("token")
    # ruleid: nosql-operator-injection-json
    return {"ok": db.resets.count_documents({"token": token}) > 0}


@app.get("/lookup")
def lookup():
    # ok: nosql-operator-injection-json
    return {"user": db.users.find_one({"username": flask_request.args.get("username", "")})}


@api.post("/starlette-login")
async def starlette_login(request: Request):
    body = await request.json()
    # ruleid: nosql-operator-injection-json
    return db.users.find_one({"email": body["email"]})


@api.post("/typed-login")
async def typed_login(creds: Credentials):
    # ok: nosql-operator-injection-json
    return db.users.find_one({"username": creds.username})


def drf_view(request):
    # ruleid: nosql-operator-injection-json
    return db.orders.find(filter={"owner": request.data["owner"]})


def drf_view_by_id(request):
    # ok: nosql-operator-injection-json
    return db.orders.find_one({"_id": ObjectId(request.data["id"])})


def drf_view_count(request):
    # ok: nosql-operator-injection-json
    return db.orders.count_documents({"qty": int(request.data["qty"])})
