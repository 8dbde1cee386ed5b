"""Large accounts (R5.1-R5.3, R5.8): who a priority ticket is about and whether it is a large account.

The account is found from what a ticket carries (R5.2): the customer's primary (super-admin) e-mail, its
domain, a user id, or an organisation or group id as the vendor knows it (a subscription's vendor account
id). It is large when its user licenses on the vendor's products, counting only the products that count
for priority support (R5.3), reach the threshold of its region's tier (R5.1).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Q, QuerySet, Sum

from canal.accounts.models import Membership, Organisation, OrganisationKind, Role
from canal.catalog.models import BillingUnit, Product
from canal.subscriptions.models import Subscription, SubscriptionStatus
from canal.support.models import PrioritySupport, RegionTier

# Units that count users; by default anything else (contacts, rows, visitors, credits...) is excluded (R5.3).
USER_UNITS = (BillingUnit.USER, BillingUnit.SEAT, BillingUnit.LICENSE)
# The super-admin of a customer account: who may speak for the whole organisation.
ACCOUNT_OWNER_ROLES = (Role.LEGAL_REPRESENTATIVE, Role.ADMIN)


@dataclass(frozen=True)
class LargeAccountCheck:
    customer_id: int
    region: str
    licenses: int
    threshold: int | None  # None: no tier applies to the customer's region

    @property
    def is_large(self) -> bool:
        return self.threshold is not None and self.licenses >= self.threshold


def default_exclusions(vendor: Organisation) -> QuerySet[Product]:
    """The catalog's own view (R5.3): products flagged out of priority support or not billed per user."""
    return Product.objects.filter(vendor=vendor).filter(Q(priority_support=False) | ~Q(unit__in=USER_UNITS))


def config_of(vendor_id: int) -> PrioritySupport | None:
    return PrioritySupport.objects.filter(vendor_id=vendor_id).prefetch_related("tiers").first()


def counting_products(config: PrioritySupport) -> QuerySet[Product]:
    excluded = config.excluded_products.values("pk")
    # The exclusion list is the whole rule (R5.3): a vendor may decide that a unit of its own counts.
    return Product.objects.filter(vendor_id=config.vendor_id).exclude(pk__in=excluded)


def tier_for(config: PrioritySupport, region: str) -> RegionTier | None:
    tiers = {tier.region: tier for tier in config.tiers.all()}
    return tiers.get(region) or tiers.get("")


def check(config: PrioritySupport, customer: Organisation) -> LargeAccountCheck:
    """R5.1, R5.3: the customer's user licenses on counting products against its region's threshold."""
    licenses = Subscription.objects.filter(
        customer=customer, status=SubscriptionStatus.ACTIVE, product__in=counting_products(config)
    ).aggregate(total=Sum("quantity"))["total"]
    tier = tier_for(config, customer.region)
    return LargeAccountCheck(
        customer_id=customer.pk,
        region=customer.region,
        licenses=licenses or 0,
        threshold=None if tier is None else tier.threshold,
    )


def _vendor_customers(vendor_id: int) -> QuerySet[Organisation]:
    return Organisation.objects.filter(
        kind=OrganisationKind.CUSTOMER,
        subscriptions__product__vendor_id=vendor_id,
        subscriptions__status=SubscriptionStatus.ACTIVE,
    ).distinct()


def _only(customers: QuerySet[Organisation]) -> Organisation | None:
    found = list(customers[:2])
    return found[0] if len(found) == 1 else None


def identify(
    vendor_id: int, *, email: str = "", user_id: int | None = None, account_ref: str = ""
) -> Organisation | None:
    """R5.2, R5.8: the vendor's customer a ticket is about, or None when nothing identifies exactly one.

    Tried in order: the account (organisation or group) id at the vendor, the user id, the super-admin
    e-mail, then the e-mail's domain (the domain of a super-admin of exactly one customer).
    """
    customers = _vendor_customers(vendor_id)
    account_ref = account_ref.strip()
    if account_ref:
        found = _only(
            customers.filter(
                subscriptions__product__vendor_id=vendor_id, subscriptions__vendor_account_id=account_ref
            )
        )
        if found is not None:
            return found
    owners = Membership.objects.filter(role__in=ACCOUNT_OWNER_ROLES)
    if user_id is not None:
        found = _only(customers.filter(pk__in=owners.filter(user_id=user_id).values("organisation_id")))
        if found is not None:
            return found
    email = email.strip().lower()
    if "@" in email:
        found = _only(
            customers.filter(pk__in=owners.filter(user__email__iexact=email).values("organisation_id"))
        )
        if found is not None:
            return found
        domain = email.rsplit("@", 1)[1]
        return _only(
            customers.filter(
                pk__in=owners.filter(user__email__iendswith=f"@{domain}").values("organisation_id")
            )
        )
    return None
