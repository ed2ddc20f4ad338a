"""``{% load codes %}``: show a stored message code in the reader's language.

``{{ item|message }}`` renders a ``{"code": ..., "params": ...}`` dict (or a Message);
``{{ "maths"|code_label:"area" }}`` gives the label of one coded value.
"""

from __future__ import annotations

from django import template

from partnerlens.core.messages import Message, label

register = template.Library()


@register.filter
def message(value) -> str:
    if not value:
        return ""
    return str(Message.of(value))


@register.filter
def code_label(value, param: str) -> str:
    return label(param, value)
