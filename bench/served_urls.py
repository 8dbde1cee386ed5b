"""Canal's URLs plus `/bench/bare` (see served_site.py)."""

from django.http import HttpRequest, JsonResponse
from django.urls import include, path


def bare(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok"})


urlpatterns = [path("bench/bare", bare), path("", include("canal.config.urls"))]
