"""What the framework problem codes say, in English and Welsh (core.messages).

`schema.py` (pure) and `services/` report each problem as a field path, a code and values
(`schema.Problem`); these texts word them in the reader's language wherever they are shown.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from partnerlens.core.messages import register

register(
    {
        # Shape and types (pydantic's error types, schema.format_errors).
        "schema.missing": _("is required"),
        "schema.extra_field": _("is not a field of this schema (check the spelling)"),
        "schema.key_pattern": _(
            "use lower-case letters, digits, '-' or '_' (starting with a letter or digit)"
        ),
        "schema.not_number": _("must be a number"),
        "schema.not_whole_number": _("must be a whole number"),
        "schema.not_yes_no": _("must be true or false"),
        "schema.not_text": _("must be text"),
        "schema.not_list": _("must be a list"),
        "schema.not_mapping": _("must be a mapping of fields"),
        "schema.one_of": _("must be one of: %(expected)s"),
        "schema.too_few": _("needs at least %(min_length)s"),
        "schema.empty_text": _("must not be empty"),
        "schema.too_long": _("must be at most %(max_length)s characters"),
        "schema.at_least": _("must be %(ge)s or more"),
        "schema.at_most": _("must be %(le)s or less"),
        "schema.too_many": _("must have at most %(max_length)s items"),
        # Anything else pydantic reports, in its own (English) words.
        "schema.other": "%(detail)s",
        # Rules across fields (schema._check_rules, schema.check_question).
        "rules.not_a_role": _("'%(role)s' is not a role; use one of: %(roles)s"),
        "rules.prompt_not_a_role": _("'%(role)s' is not a role"),
        "rules.option_value_twice": _("the value '%(value)s' is used more than once"),
        "rules.fixed_scale_options": _(
            "%(kind)s questions use the standard scale; leave options out"
        ),
        "rules.no_options": _("a %(kind)s question has no options"),
        "rules.rubric_levels": _("a rubric needs at least 2 levels"),
        "rules.rubric_score": _("every rubric level needs a score"),
        "rules.rubric_shared_score": _("two rubric levels share a score"),
        "rules.choice_options": _("a %(kind)s question needs at least 2 options"),
        "rules.unknown_setting": _("not a setting for %(kind)s questions (allowed: %(allowed)s)"),
        "rules.no_settings": _(
            "not a setting for %(kind)s questions (this kind takes no settings)"
        ),
        "rules.setting_number": _("must be a number"),
        "rules.max_above_min": _("must be greater than min (%(min)s)"),
        # Bounds on settings (limits.setting_problems).
        "rules.setting_finite": _("must be a finite number"),
        "rules.step_above_zero": _("must be more than 0"),
        "rules.setting_range": _("must be between %(low)s and %(high)s"),
        "rules.unit_text": _("must be text of at most %(max_length)s characters"),
        "rules.theme_key_twice": _("the key '%(key)s' is used by more than one theme"),
        "rules.question_key_twice": _("the question key '%(key)s' is used more than once"),
        "rules.prompt_key_twice": _("the key '%(key)s' is used more than once"),
        "rules.target_no_scale": _("this theme has no scored questions to aim at"),
        "rules.target_off_scale": _("must lie on the theme's scale (%(low)s to %(high)s)"),
        "rules.english_missing": _("the English text is missing"),
        "rules.welsh_missing": _("the Welsh text is missing"),
        # Reading the file (schema.parse_text).
        "file.too_large": _("larger than %(kb)s kB"),
        "file.not_utf8": _("not UTF-8 text (byte %(byte)s)"),
        # Bounds on the file (reading.py), each naming its limit.
        "file.too_deep": _("nested more than %(limit)s levels deep"),
        "file.too_many_aliases": _("uses more than %(limit)s YAML aliases (*name)"),
        "file.too_many_values": _(
            "holds more than %(limit)s values once its YAML aliases are expanded"
        ),
        # The JSON or YAML reader's own (English) words.
        "file.unreadable": "%(detail)s",
        "file.not_yaml": _("not valid YAML"),
        # Changes through the services (services.versions, services.drafts).
        "change.published": _(
            "Version %(number)s is published; start a new draft to change the framework."
        ),
        "change.no_themes": _("A version needs at least one theme before it is published."),
        "change.empty_theme": _("The theme ‘%(title)s’ has no questions yet."),
        "change.flex_unpublished": _("Only a published version can be flexed."),
        "change.other_partnership": _("This framework belongs to another partnership."),
        "change.not_a_theme": _("'%(key)s' is not a theme of this framework"),
        "change.choose_theme": _("choose at least one theme"),
        "change.target_unchosen": _("a target or weight was set for a theme that was not chosen"),
        "change.slug_taken": _("'%(slug)s' is already used by your frameworks"),
        "change.theme_key_taken": _("'%(key)s' is already a theme of this version"),
        "change.theme_title": _("a theme needs an English title"),
        "change.weight": _("must be zero or more"),
        "change.question_key_taken": _("'%(key)s' is already used in this version"),
        "change.fixed_field": _("cannot be changed here"),
        # The editor (services.drafts, services.themes, services.options).
        "change.direction": _("choose up or down"),
        "change.name_missing": _("Enter the framework's name in English"),
        "change.option_label": _("Enter the option's label in English"),
        "change.options_fixed": _(
            "%(kind)s questions use a fixed scale or no options, so options cannot be changed"
        ),
        "change.last_options": _(
            "A %(kind)s question needs at least 2 options. Add another option before removing "
            "this one, or remove the question."
        ),
    }
)
