"""The REST API root at /api/v1/: each domain app adds its own router here."""

from ninja import NinjaAPI

from canal.accounts.api import auth_router
from canal.accounts.api import router as accounts_router
from canal.api.auth import token_or_session
from canal.api.errors import install_error_handlers
from canal.api.throttling import AnonymousRateThrottle, TokenRateThrottle
from canal.notifications.api import router as notifications_router

api = NinjaAPI(
    title="Canal API",
    version="1",
    description="Channel commerce for software sold through partners. Authenticate with a bearer token.",
    auth=token_or_session,
    throttle=[TokenRateThrottle(), AnonymousRateThrottle()],
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/", accounts_router)
api.add_router("/", notifications_router)
