"""The REST API root at /api/v1/: each domain app adds its own router here."""

from canal.accounts.api import auth_router
from canal.accounts.api import router as accounts_router
from canal.api.auth import token_or_session
from canal.api.errors import install_error_handlers
from canal.api.openapi import CanalAPI
from canal.api.renderers import CanalJSONRenderer
from canal.api.throttling import AnonymousRateThrottle, TokenRateThrottle
from canal.billing.api import router as billing_router
from canal.catalog.api import quotes_router
from canal.catalog.api import router as catalog_router
from canal.licensing.api import appliance_router, keys_router
from canal.licensing.api import router as licensing_router
from canal.notifications.api import router as notifications_router
from canal.orders.api import provisioning_router
from canal.orders.api import router as orders_router
from canal.partners.api import directory_router, tenders_router
from canal.partners.api import router as partners_router
from canal.partners.programme_api import router as programme_router
from canal.subscriptions.api import router as subscriptions_router
from canal.support.api import router as support_router

api = CanalAPI(
    title="Canal API",
    version="1",
    description="Channel commerce for software sold through partners. Authenticate with a bearer token.",
    auth=token_or_session,
    throttle=[TokenRateThrottle(), AnonymousRateThrottle()],
    urls_namespace="api",
    docs_url="/docs",
    renderer=CanalJSONRenderer(),
)
install_error_handlers(api)
api.add_router("/auth", auth_router)
api.add_router("/", accounts_router)
api.add_router("/catalog", catalog_router)
api.add_router("/quotes", quotes_router)
api.add_router("/", notifications_router)
api.add_router("/", subscriptions_router)
api.add_router("/billing", billing_router)
api.add_router("/", orders_router)
api.add_router("/provisioning-requests", provisioning_router)
api.add_router("/programme", programme_router)
api.add_router("/partners", partners_router)
api.add_router("/tenders", tenders_router)
api.add_router("/directory", directory_router)
api.add_router("/licensing/appliance", appliance_router)
api.add_router("/licensing", licensing_router)
api.add_router("/licensing", keys_router)
api.add_router("/support", support_router)
