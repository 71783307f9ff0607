from django.http import JsonResponse
from fastapi import FastAPI, Request
from flask import Flask, jsonify, request
from flask import request as req

from shop.models import Account, Order, User, db

app = Flask(__name__)
api = FastAPI()


@app.post("/users")
def create_user():
    # ruleid: mass-assignment
    user = User(**request.get_json())
    db.session.add(user)
    db.session.commit()
    return jsonify(id=user.id)


@app.post("/orders")
def create_order():
    payload = request.json
    # ruleid: mass-assignment
    order = Order(customer="web", **payload)
    db.session.add(order)
    return jsonify(id=order.id)


@app.post("/profile")
def update_profile():
    user = User.query.get(1)
    # ruleid: mass-assignment
    user.__dict__.update(req.form)
    db.session.commit()
    return "ok"


@app.post("/profile/v2")
def update_profile_v2():
    user = User.query.get(1)
    data = request.get_json()
    # ruleid: mass-assignment
    for key, value in data.items():
        setattr(user, key, value)
    db.session.commit()
    return "ok"


@app.post("/accounts/<int:account_id>")
def update_account(account_id):
    # ruleid: mass-assignment
    Account.query.filter_by(id=account_id).update(request.get_json())
    db.session.commit()
    return "ok"


def django_signup(request):
    # ruleid: mass-assignment
    account = Account.objects.create(**request.POST.dict())
    return JsonResponse({"id": account.id})


@api.post("/items")
async def create_item(request: Request):
    # ruleid: mass-assignment
    item = Order(**await request.json())
    return {"id": item.id}


# --- secure twins ---


@app.post("/users/safe")
def create_user_safe():
    body = request.get_json()
    # ok: mass-assignment
    user = User(name=body["name"], email=body["email"])
    db.session.add(user)
    return jsonify(id=user.id)


ALLOWED = ("name", "email")


@app.post("/profile/safe")
def update_profile_safe():
    user = User.query.get(1)
    data = request.get_json()
    for key in ALLOWED:
        if key in data:
            # ok: mass-assignment
            setattr(user, key, data[key])
    db.session.commit()
    return "ok"


@app.post("/orders/safe")
def create_order_safe():
    payload = request.get_json()
    fields = {k: payload[k] for k in ALLOWED if k in payload}
    # ok: mass-assignment
    order = Order(**fields)
    return jsonify(id=order.id)


def build(defaults):
    # ok: mass-assignment
    return User(**defaults)


@app.get("/search")
def search():
    # ok: mass-assignment
    return jsonify(**request.args)
