from __future__ import annotations

from django import template

from jiandu.security.masking import mask_text

register = template.Library()


@register.filter
def masked(value: object) -> str:
    """{{ value|masked }}: hide the middle digits of any resident ID number in the value."""
    return "" if value is None else mask_text(value)
