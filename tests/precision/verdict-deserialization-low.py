# exercises: a call dangerous by itself (pickle, unsafe yaml) on constant data is reported once at LOW severity by its pattern rule; on request data it is one finding of the taint rule (the pattern finding merges into it); on data of unknown origin the pattern rule still reports it
import base64
import pickle

import yaml
from django.http import JsonResponse

EMPTY_CART = pickle.dumps([])
DEFAULTS = "retries: 3\ntimeout: 30\n"


def empty_cart(request):
    # ruleid: unsafe-deserialization-pickle
    items = pickle.loads(EMPTY_CART)
    return JsonResponse({"items": items})


def cart_from_cookie(request):
    # ruleid: untrusted-deserialization
    items = pickle.loads(base64.b64decode(request.COOKIES["cart"]))
    return JsonResponse({"items": items})


def job_defaults(request):
    # ruleid: yaml-unsafe-load
    settings = yaml.load(DEFAULTS, Loader=yaml.Loader)
    return JsonResponse(settings)


def job_from_body(request):
    # ruleid: untrusted-deserialization
    settings = yaml.load(request.body, Loader=yaml.Loader)
    return JsonResponse(settings)


def job_from_body_safe(request):
    # ok: untrusted-deserialization
    settings = yaml.safe_load(request.body)
    return JsonResponse(settings)


def restore(blob):
    # ruleid: unsafe-deserialization-pickle
    return pickle.loads(blob)
