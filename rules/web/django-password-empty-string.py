from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.http import HttpResponse, HttpResponseBadRequest


def disable_login(user_id):
    user = User.objects.get(pk=user_id)
    # ruleid: django-password-empty-string
    user.set_password("")
    user.save()


def signup(request):
    # ruleid: django-password-empty-string
    password = request.POST.get("password", "")
    user = User.objects.create_user(request.POST["username"])
    user.set_password(password)
    user.save()
    return HttpResponse("welcome")


def invite(request):
    # ruleid: django-password-empty-string
    secret = request.POST.get("secret", "")
    User.objects.create_user(username=request.POST["username"], password=secret)
    return HttpResponse("invited")


def disable_login_safe(user_id):
    user = User.objects.get(pk=user_id)
    # ok: django-password-empty-string
    user.set_unusable_password()
    user.save()


def signup_safe(request):
    # ok: django-password-empty-string
    password = request.POST.get("password")
    if not password:
        return HttpResponseBadRequest("password required")
    validate_password(password)
    user = User.objects.create_user(request.POST["username"])
    user.set_password(password)
    user.save()
    return HttpResponse("welcome")


def profile(request):
    # ok: django-password-empty-string
    nickname = request.POST.get("nickname", "")
    request.user.first_name = nickname
    request.user.save()
    return HttpResponse("saved")
