"""Portal pages run under a strict Content-Security-Policy: no inline script or style is needed, none runs."""

import re

import pytest
from playwright.sync_api import expect

from canal.accounts.models import OrganisationKind, Role
from canal.accounts.tests.factories import PASSWORD, MembershipFactory, OrganisationFactory

pytestmark = [pytest.mark.browser, pytest.mark.usefixtures("transactional_db")]


def test_pages_work_under_the_policy_without_a_single_violation(live_server, new_context, log_in, screenshot):
    customer = OrganisationFactory(kind=OrganisationKind.CUSTOMER, name="Clínica Dental Norte")
    user = MembershipFactory(organisation=customer, role=Role.ADMIN, user__email="ana@norte.test").user
    context = new_context(locale="en-GB")
    page = context.new_page()
    violations: list[str] = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and violations.append(message.text),
    )

    response = page.goto(f"{live_server.url}/accounts/login/")
    log_in(page, user.email, PASSWORD)
    page.goto(f"{live_server.url}/billing/")
    # The list's filters run through htmx (loaded from our own origin): the choice lands in the address.
    page.select_option("select[name=status]", "paid")
    expect(page).to_have_url(re.compile(r"/billing/\?.*status=paid"))
    page.goto(f"{live_server.url}/api/v1/docs")
    expect(page.locator(".swagger-ui .title").first).to_contain_text("Canal API")
    screenshot(page, "api-docs-under-csp")

    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert violations == []
