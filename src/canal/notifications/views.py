from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from canal.notifications import selectors, services
from canal.portal.actor import portal_actor


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    notifications = selectors.notifications_of(actor)[:100]
    return render(request, "notifications/list.html", {"notifications": notifications})


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=portal_actor(request))
    return redirect("notifications:list")
