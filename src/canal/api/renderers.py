"""The API's JSON renderer: ninja's, with decimals and dates encoded first.

Amounts and dates are most of the values of a list of invoices or charges; ninja's encoder asks about
rarer types (models, URLs, addresses, enums) before reaching them (issue 15). The output is the same.
"""

from datetime import date, datetime
from decimal import Decimal
from typing import Any

from ninja.renderers import JSONRenderer
from ninja.responses import NinjaJSONEncoder


class CanalJSONEncoder(NinjaJSONEncoder):
    def default(self, o: Any) -> Any:
        if isinstance(o, Decimal):
            return str(o)
        if isinstance(o, date) and not isinstance(o, datetime):
            return o.isoformat()
        return super().default(o)


class CanalJSONRenderer(JSONRenderer):
    encoder_class = CanalJSONEncoder
