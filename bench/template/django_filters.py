"""
The one filter the benchmark page uses that Django does not have: hone's
absurl.  Loaded as a template builtin by bench_django.py.
"""

from django import template

register = template.Library()

BASE_URL = "https://www.example.org/"


@register.filter(is_safe=True)
def absurl(url):
    url = str(url)
    if "://" in url or url.startswith("//"):
        return url
    return BASE_URL + url.lstrip("/")
