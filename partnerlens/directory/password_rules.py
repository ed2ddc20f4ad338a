"""Django's password rules, named here so they join the project's Welsh catalogue.

Django ships no Welsh for the messages of its password validators
(django/contrib/auth/password_validation.py), which the change, reset and new-account pages
show. The texts below are Django's word for word; ``makemessages`` picks them up from here,
and the project catalogue (LOCALE_PATHS) is read before Django's own, so a Welsh reader gets
them in Welsh. Nothing calls these: they exist to be extracted.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_PASSWORD_RULES = (
    ngettext_lazy(
        "This password is too short. It must contain at least %d character.",
        "This password is too short. It must contain at least %d characters.",
        "min_length",
    ),
    gettext_noop("The password is too similar to the %(verbose_name)s."),
    gettext_noop("This password is too common."),
    gettext_noop("This password is entirely numeric."),
)
