from typing import Any, Dict

from fastapi import APIRouter, FastAPI, Request
from pydantic import BaseModel

app = FastAPI()
router = APIRouter()


class UserIn(BaseModel):
    name: str
    email: str


@app.post("/users")
# ruleid: fastapi-untyped-request-body
async def create_user(payload: dict):
    return payload


@router.put("/users/{uid}")
# ruleid: fastapi-untyped-request-body
async def update_user(uid: int, changes: Dict[str, Any]):
    return changes


@app.post("/webhook")
async def webhook(request: Request):
    # ruleid: fastapi-untyped-request-body
    body = await request.json()
    return body


@app.post("/users/v2")
# ok: fastapi-untyped-request-body
async def create_user_v2(payload: UserIn):
    return payload.model_dump()


@app.get("/users/{uid}")
# ok: fastapi-untyped-request-body
async def read_user(uid: int, verbose: bool = False):
    return {"uid": uid}


def merge(a: dict, b: dict):
    # ok: fastapi-untyped-request-body
    return {**a, **b}
