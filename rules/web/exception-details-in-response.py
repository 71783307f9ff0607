import logging
from unittest import mock
import traceback
import traceback as tb

from django.http import HttpResponse, JsonResponse
from fastapi import FastAPI, HTTPException
from fastapi.responses import JSONResponse
from flask import Flask, abort, jsonify, request
from marshmallow import ValidationError

app = Flask(__name__)
api = FastAPI()
log = logging.getLogger(__name__)


def save_order(data):
    return data


@app.post("/orders")
def create_order():
    try:
        order = save_order(request.get_json())
    except Exception as e:
        # ruleid: exception-details-in-response
        return jsonify({"error": str(e)}), 500
    return jsonify(order)


@app.post("/orders-safe")
def create_order_safe():
    try:
        order = save_order(request.get_json())
    except Exception:
        app.logger.exception("saving the order failed")
        # ok: exception-details-in-response
        return jsonify({"error": "internal error"}), 500
    return jsonify(order)


@app.get("/report")
def report():
    try:
        return jsonify(save_order({}))
    except Exception:
        # ruleid: exception-details-in-response
        return tb.format_exc(), 500


@app.get("/report-logged")
def report_logged():
    try:
        return jsonify(save_order({}))
    except Exception as exc:
        log.error("report failed: %s", exc)
        # ok: exception-details-in-response
        return "report failed", 500


@app.get("/abort")
def abort_with_message():
    try:
        return jsonify(save_order({}))
    except KeyError as err:
        # ruleid: exception-details-in-response
        abort(500, f"lookup failed: {err!r}")


@app.post("/validate")
def validate():
    try:
        return jsonify(save_order(request.get_json()))
    except ValidationError as err:
        # ok: exception-details-in-response
        return jsonify(err.messages), 400


@app.errorhandler(Exception)
def handle_any(error):
    # ruleid: exception-details-in-response
    return jsonify(error=repr(error)), 500


@app.errorhandler(500)
def handle_500(error):
    # ok: exception-details-in-response
    return jsonify(error="internal error"), 500


@api.get("/items/{item_id}")
async def read_item(item_id: int):
    try:
        return save_order({"id": item_id})
    except LookupError as e:
        # ruleid: exception-details-in-response
        raise HTTPException(status_code=500, detail=str(e))


@api.get("/items-safe/{item_id}")
async def read_item_safe(item_id: int):
    try:
        return save_order({"id": item_id})
    except LookupError as e:
        log.warning("lookup failed: %s", e)
        # ok: exception-details-in-response
        raise HTTPException(status_code=404, detail="item not found")


@api.exception_handler(Exception)
async def unhandled(request, exc):
    # ruleid: exception-details-in-response
    return JSONResponse(status_code=500, content={"detail": f"{type(exc).__name__}: {exc}"})


def django_view(request):
    try:
        save_order(request.POST)
    except Exception as e:
        # ruleid: exception-details-in-response
        return HttpResponse("Error: " + traceback.format_exc() + str(e), status=500)
    return HttpResponse("ok")


def django_json_view(request):
    try:
        save_order(request.POST)
    except Exception as e:
        log.exception("failed")
        # ok: exception-details-in-response
        return JsonResponse({"error": "failed", "kind": type(e).__name__}, status=500)
    return JsonResponse({"ok": True})


def background_job():
    try:
        save_order({})
    except Exception as e:
        # ok: exception-details-in-response
        log.error("job failed: %s", str(e))


class FutureTests:
    @mock.patch("asyncio.base_events.logger")
    def check_exception(self, m_log):
        def memory_error():
            try:
                raise MemoryError()
            except BaseException as exc:
                # ok: exception-details-in-response
                return exc

        return memory_error()
