import os
import urllib.request

import httpx
import requests
import requests as rq
from requests import get

API_KEY = os.environ["WEATHER_API_KEY"]
BASE = "https://api.example.com/v1"


def forecast(city):
    # ruleid: api-key-in-url
    return requests.get(f"https://api.example.com/v1/forecast?city={city}&api_key={API_KEY}", timeout=10)


def orders():
    # ruleid: api-key-in-url
    return rq.post(BASE + "/orders?access_token=" + API_KEY, json={}, timeout=10)


def geocode(address):
    # ruleid: api-key-in-url
    return get("https://maps.example.com/geocode?address={}&key={}".format(address, API_KEY), timeout=5)


def with_params(city):
    # ruleid: api-key-in-url
    return requests.get(f"{BASE}/forecast", params={"q": city, "apikey": API_KEY}, timeout=10)


async def client_call(token):
    async with httpx.AsyncClient() as client:
        # ruleid: api-key-in-url
        return await client.get(f"{BASE}/me?token={token}")


def legacy(token):
    # ruleid: api-key-in-url
    return urllib.request.urlopen(f"{BASE}/me?token={token}", timeout=5)


def forecast_safe(city):
    # ok: api-key-in-url
    return requests.get(f"{BASE}/forecast?city={city}", headers={"X-API-Key": API_KEY}, timeout=10)


def orders_safe():
    # ok: api-key-in-url
    return rq.post(BASE + "/orders", headers={"Authorization": f"Bearer {API_KEY}"}, timeout=10)


def with_params_safe(city, page):
    # ok: api-key-in-url
    return requests.get(f"{BASE}/forecast", params={"q": city, "page": page}, timeout=10)


async def client_call_safe(token):
    async with httpx.AsyncClient(headers={"Authorization": f"Bearer {token}"}) as client:
        # ok: api-key-in-url
        return await client.get(f"{BASE}/me?fields=name")



def weather(city):
    key = os.environ["OWM_KEY"]
    url = f"https://api.openweathermap.org/data/2.5/weather?q={city}&appid={key}"
    # ruleid: api-key-in-url
    return requests.get(url, timeout=5)
