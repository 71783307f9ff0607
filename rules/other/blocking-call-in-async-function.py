import asyncio
import os
import subprocess
import time
import urllib.request
from pathlib import Path
from subprocess import check_output
from time import sleep

import aiofiles
import httpx
import requests
import requests as http
from fastapi import FastAPI

app = FastAPI()
RATES_URL = "https://api.example.com/rates"
PAUSE = 2


@app.get("/rates")
async def rates():
    # ruleid: blocking-call-in-async-function
    resp = requests.get(RATES_URL, timeout=10)
    return resp.json()


@app.post("/hook")
async def hook(payload: dict):
    # ruleid: blocking-call-in-async-function
    http.post("https://hooks.example.com/in", json=payload, timeout=5)
    # ruleid: blocking-call-in-async-function
    time.sleep(PAUSE)
    # ruleid: blocking-call-in-async-function
    sleep(1)
    return {"ok": True}


async def convert(name: str):
    # ruleid: blocking-call-in-async-function
    subprocess.run(["convert", name, name + ".png"], check=True)
    # ruleid: blocking-call-in-async-function
    out = check_output(["identify", name])
    # ruleid: blocking-call-in-async-function
    os.system("sync")
    return out


async def load_report(path: str):
    # ruleid: blocking-call-in-async-function
    with open(path) as fh:
        data = fh.read()
    # ruleid: blocking-call-in-async-function
    extra = Path(path + ".meta").read_text()
    return data + extra


async def sync_httpx():
    # ruleid: blocking-call-in-async-function
    r = httpx.get(RATES_URL)
    # ruleid: blocking-call-in-async-function
    page = urllib.request.urlopen("https://example.com", timeout=5).read()
    return r.text + page.decode()


class Worker:
    async def run(self):
        # ruleid: blocking-call-in-async-function
        time.sleep(0.5)


# ---- the async equivalents stay clean -----------------------------------------------------


@app.get("/rates/async")
async def rates_async():
    async with httpx.AsyncClient(timeout=10) as client:
        # ok: blocking-call-in-async-function
        resp = await client.get(RATES_URL)
    # ok: blocking-call-in-async-function
    await asyncio.sleep(PAUSE)
    return resp.json()


async def convert_async(name: str):
    # ok: blocking-call-in-async-function
    proc = await asyncio.create_subprocess_exec("convert", name, name + ".png")
    await proc.wait()
    # ok: blocking-call-in-async-function
    async with aiofiles.open(name) as fh:
        return await fh.read()


async def in_thread(url: str):
    loop = asyncio.get_running_loop()
    # ok: blocking-call-in-async-function
    r = await loop.run_in_executor(None, lambda: requests.get(url, timeout=10))
    # ok: blocking-call-in-async-function
    r2 = await asyncio.to_thread(requests.get, url, timeout=10)
    return r, r2


async def nested_sync_helper(url: str):
    def fetch():
        # A nested synchronous function runs wherever it is called: here, in a thread.
        # ok: blocking-call-in-async-function
        return requests.get(url, timeout=10)

    return await asyncio.to_thread(fetch)


def plain_sync(url: str):
    # ok: blocking-call-in-async-function
    time.sleep(1)
    # ok: blocking-call-in-async-function
    return requests.get(url, timeout=10)


async def session_object():
    # Building a session does no I/O.
    # ok: blocking-call-in-async-function
    s = requests.Session()
    return s


def make_handler():
    # An async function defined inside a synchronous one is still async.
    async def handler():
        # ruleid: blocking-call-in-async-function
        time.sleep(1)

    return handler
