import hashlib
import hmac
import os

from django.http import HttpResponse, HttpResponseForbidden, JsonResponse
from django.urls import path
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_POST
from flask import Flask
from flask_wtf.csrf import CSRFProtect

# --- Flask / Flask-WTF ---

app = Flask(__name__)

# ruleid: csrf-protection-disabled
app.config["WTF_CSRF_ENABLED"] = False

# ok: csrf-protection-disabled
app.config["WTF_CSRF_ENABLED"] = True

csrf = CSRFProtect(app)


class TestingConfig:
    TESTING = True
    # ruleid: csrf-protection-disabled
    WTF_CSRF_ENABLED = False


class ManualCsrfConfig:
    # ruleid: csrf-protection-disabled
    WTF_CSRF_CHECK_DEFAULT = False


class ProductionConfig:
    # ok: csrf-protection-disabled
    WTF_CSRF_ENABLED = True
    # ok: csrf-protection-disabled
    WTF_CSRF_TIME_LIMIT = 3600


def create_test_app():
    application = Flask(__name__)
    # ruleid: csrf-protection-disabled
    application.config.update(TESTING=True, WTF_CSRF_ENABLED=False)
    return application


# --- Django views ---


# ruleid: csrf-protection-disabled
@csrf_exempt
def change_email(request):
    request.user.email = request.POST["email"]
    request.user.save()
    return JsonResponse({"ok": True})


# ok: csrf-protection-disabled
@require_POST
def change_password(request):
    request.user.set_password(request.POST["new_password"])
    request.user.save()
    return JsonResponse({"ok": True})


# ok: csrf-protection-disabled
@csrf_protect
def update_profile(request):
    request.user.first_name = request.POST["first_name"]
    request.user.save()
    return JsonResponse({"ok": True})


# ruleid: csrf-protection-disabled
@method_decorator(csrf_exempt, name="dispatch")
class ApiOrderView(View):
    def post(self, request):
        return JsonResponse({"created": True}, status=201)


def payment_webhook(request):
    expected = hmac.new(os.environ["WEBHOOK_SECRET"].encode(), request.body, hashlib.sha256).hexdigest()
    if not hmac.compare_digest(expected, request.headers.get("X-Signature", "")):
        return HttpResponseForbidden()
    return HttpResponse(status=204)


urlpatterns = [
    # ruleid: csrf-protection-disabled
    path("hooks/payment/", csrf_exempt(payment_webhook)),
    # ok: csrf-protection-disabled
    path("account/password/", change_password),
]
