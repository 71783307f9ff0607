from django.contrib.auth import password_validation
from django.contrib.auth.forms import SetPasswordForm
from django.contrib.auth.models import User
from django.contrib.auth.password_validation import validate_password
from django.http import HttpResponse


def reset(request):
    user = request.user
    # ruleid: django-unvalidated-password
    user.set_password(request.POST["new_password"])
    user.save()
    return HttpResponse("changed")


def create_account(request):
    new_user = User(username=request.POST["username"])
    password = request.POST.get("password")
    # ruleid: django-unvalidated-password
    new_user.set_password(password)
    new_user.save()
    return HttpResponse("created")


def reset_validated(request):
    user = request.user
    new_password = request.POST["new_password"]
    validate_password(new_password, user)
    # ok: django-unvalidated-password
    user.set_password(new_password)
    user.save()
    return HttpResponse("changed")


def reset_validated_module(request):
    user = request.user
    new_password = request.POST["new_password"]
    password_validation.validate_password(new_password, user=user)
    # ok: django-unvalidated-password
    user.set_password(new_password)
    user.save()
    return HttpResponse("changed")


def reset_with_form(request):
    form = SetPasswordForm(request.user, request.POST)
    if form.is_valid():
        # ok: django-unvalidated-password
        request.user.set_password(form.cleaned_data["new_password1"])
        request.user.save()
    return HttpResponse("done")


def lock_account(user):
    # ok: django-unvalidated-password
    user.set_password(None)
    user.save()


class PasswordView:
    def post(self, request):
        # ruleid: django-unvalidated-password
        request.user.set_password(request.POST["password"])
        request.user.save()
        return HttpResponse("changed")


# A Flask-style model helper: not a Django view.
def change_password(user, form):
    # ok: django-unvalidated-password
    user.set_password(form.password.data)
