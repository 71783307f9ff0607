# exercises: a Django view passes its request to helpers: what they read from request.GET/POST/META is request data, what they compute from the user or the method is not
import subprocess

from django.http import HttpResponse, HttpResponseRedirect


def query_param(r, name):
    return r.GET.get(name, "")


def posted(r, name):
    return r.POST[name]


def is_ajax(r):
    return r.META.get("HTTP_X_REQUESTED_WITH") == "XMLHttpRequest"


def user_home(r):
    return "/users/home"


def go_back(request):
    target = query_param(request, "back")
    # ruleid: open-redirect
    return HttpResponseRedirect(target)


def go_home(request):
    target = user_home(request)
    # ok: open-redirect
    return HttpResponseRedirect(target)


def ping(request):
    host = posted(request, "host")
    # ruleid: tainted-os-command
    subprocess.run("ping -c 1 " + host, shell=True)
    return HttpResponse("ok")


def ping_safe(request):
    mode = "ajax" if is_ajax(request) else "page"
    # ok: tainted-os-command
    subprocess.run(["ping", "-c", "1", "localhost", mode])
    return HttpResponse(mode)
