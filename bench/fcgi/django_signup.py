"""The peer: a one-file Django 3.2 signup app, as a Django user would write it.

A Form with an EmailField (Django's EmailValidator), the CSRF middleware,
the signup appended to a file (no fsync), 302 to /thanks/.  Served by
gunicorn: gunicorn -w N django_signup:application
"""
import os

from django import forms
from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import HttpResponse, HttpResponseRedirect
from django.middleware.csrf import get_token
from django.urls import path

OUT = os.environ.get("SIGNUPS_FILE", "/tmp/django-signups.txt")

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-not-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=["django.middleware.csrf.CsrfViewMiddleware"],
    USE_I18N=False,
    USE_TZ=True,
)


class SignupForm(forms.Form):
    email = forms.EmailField(max_length=254)
    referrer = forms.CharField(max_length=1024, required=False)


def signup(request):
    if request.method == "GET":  # hands out the CSRF cookie and token
        return HttpResponse(get_token(request))
    form = SignupForm(request.POST)
    if not form.is_valid():
        return HttpResponse("invalid", status=400)
    with open(OUT, "a") as f:
        f.write("%s\t%s\t%s\n" % (form.cleaned_data["email"], form.cleaned_data["referrer"],
                                  request.META.get("REMOTE_ADDR", "")))
    return HttpResponseRedirect("/thanks/")


urlpatterns = [path("django/signup", signup)]
application = get_wsgi_application()
