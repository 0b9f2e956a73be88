"""The peer: a one-file Django 3.2 app that serves a certificate PDF, as a
Django user would write it.

The view reads the template from disk, replaces the placeholder
0000-00-00T00:00:00Z with the time (UTC) and answers it as an attachment.
It does not check a member cookie or record the download (hone-fcgi does
both), so it does less work than hone.  Served by gunicorn:

    TEMPLATES_DIR=... gunicorn -w N django_certificate:application
"""
import datetime
import os

from django.conf import settings
from django.core.wsgi import get_wsgi_application
from django.http import Http404, HttpResponse
from django.urls import path

DIR = os.environ.get("TEMPLATES_DIR", ".")
PLACEHOLDER = b"0000-00-00T00:00:00Z"

settings.configure(
    DEBUG=False,
    SECRET_KEY="bench-only-not-secret",
    ALLOWED_HOSTS=["*"],
    ROOT_URLCONF=__name__,
    MIDDLEWARE=[],
    USE_I18N=False,
    USE_TZ=True,
)


def certificate(request, name):
    if name not in ("small", "big"):
        raise Http404()
    with open(os.path.join(DIR, name + ".pdf"), "rb") as f:
        data = f.read()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    data = data.replace(PLACEHOLDER, now.encode(), 1)
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = 'attachment; filename="certificate.pdf"'
    response["Cache-Control"] = "no-store"
    return response


urlpatterns = [path("django/<str:name>.pdf", certificate)]
application = get_wsgi_application()
