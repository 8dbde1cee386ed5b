from django.contrib.auth.decorators import login_required
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _l
from django.views.decorators.http import require_POST

from canal.notifications import selectors, services
from canal.notifications.models import Notification
from canal.portal import lists
from canal.portal.actor import portal_actor

NOTIFICATION_COLUMNS = (
    lists.Column("created", _l("Date"), sort="created_at", csv=lambda n: n.created_at),
    lists.Column("heading", _l("Notification"), csv=lambda n: n.heading),
    lists.Column("text", _l("Text"), csv=lambda n: n.text),
    lists.Column("read", _l("Read"), sort="read_at", csv=lambda n: n.read_at),
)


def _read(rows: QuerySet[Notification], value: str) -> QuerySet[Notification]:
    return rows.filter(read_at__isnull=value == "unread")


NOTIFICATION_SPEC = lists.ListSpec(
    name="notifications",
    columns=NOTIFICATION_COLUMNS,
    default_sort="-created",
    row_template="notifications/row.html",
    empty_text=_l("No notifications yet."),
    filters=(
        lists.Filter("read", _l("Shown"), [("unread", _l("Unread")), ("read", _l("Read"))], narrow=_read),
    ),
    grid_class="notification-list",
)


@login_required
def notification_list(request: HttpRequest) -> HttpResponse:
    actor = portal_actor(request)
    notifications = selectors.notifications_of(actor)
    return lists.respond(request, NOTIFICATION_SPEC, notifications, "notifications/list.html")


@login_required
@require_POST
def read_all(request: HttpRequest) -> HttpResponse:
    services.mark_all_read(actor=portal_actor(request))
    return redirect("notifications:list")
