from django.contrib.auth import authenticate
from fastapi import APIRouter, Depends, FastAPI
from fastapi.security import OAuth2PasswordRequestForm
from flask import Flask, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from slowapi import Limiter as SlowLimiter
from slowapi.util import get_remote_address as remote

app = Flask(__name__)
limiter = Limiter(get_remote_address, app=app)


@app.route("/login", methods=["GET", "POST"])
# ruleid: login-rate-limit-missing
def login():
    return check(request.form["user"], request.form["password"])


@app.route("/login/limited", methods=["POST"])
@limiter.limit("5 per minute")
# ok: login-rate-limit-missing
def login_limited():
    return check(request.form["user"], request.form["password"])


@app.route("/login")
# ok: login-rate-limit-missing
def login_page():
    return "<form method=post></form>"


@app.route("/profile", methods=["POST"])
# ok: login-rate-limit-missing
def profile():
    return "ok"


api = FastAPI()
router = APIRouter()
slow = SlowLimiter(key_func=remote)


@router.post("/token")
# ruleid: login-rate-limit-missing
async def issue_token(form: OAuth2PasswordRequestForm = Depends()):
    return {"access_token": form.username}


@router.post("/auth/token/limited")
@slow.limit("10/minute")
# ok: login-rate-limit-missing
async def issue_token_limited(form: OAuth2PasswordRequestForm = Depends()):
    return {"access_token": form.username}


# ruleid: login-rate-limit-missing
def signin(request):
    return authenticate(request, username=request.POST["username"], password=request.POST["password"])


# ok: login-rate-limit-missing
def login_next(request):
    return request.GET.get("next", "/")


def check(user, password):
    return user == password
