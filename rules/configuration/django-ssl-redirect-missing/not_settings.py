# views.py: not a settings module
from django.http import HttpResponse


# ok: django-ssl-redirect-missing
def index(request):
    return HttpResponse("hello")
