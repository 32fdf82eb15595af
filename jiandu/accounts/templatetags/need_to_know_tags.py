"""`{% need_to_know kind obj %}` on the alert and lead pages: the circle of a restricted matter.

Shown only while the matter is restricted (its readers already know it is); the handling office's leader also
gets the link to the 知悉范围 page. Kept as a tag so the detail views stay untouched.
"""

from __future__ import annotations

from typing import Any

from django import template

from jiandu.accounts.grant_views import KINDS, is_restricted
from jiandu.accounts.grants import active_grantees, is_manager

register = template.Library()


@register.inclusion_tag("accounts/_need_to_know_block.html", takes_context=True)
def need_to_know(context: dict[str, Any], kind: str, obj: Any) -> dict[str, Any]:
    spec = KINDS[kind]
    if not is_restricted(spec, obj):
        return {"show": False}
    user = context["request"].user
    office = getattr(obj, spec.office_field.removesuffix("_id"))
    return {
        "show": True,
        "kind": kind,
        "obj": obj,
        "office": office,
        "grantees": active_grantees(kind, obj.pk).select_related("organisation"),
        "manage_url": spec.page_url if is_manager(user, getattr(obj, spec.office_field)) else "",
    }
