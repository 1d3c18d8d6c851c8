"""Messages the policy core decides, in the user's language.

The policy core has no Frappe: it returns an English template ("{0} outbound calls already today; at
most {1} a day.") with its arguments. Here the template is translated, then filled; text arguments
(weekday names, stage names, rule names) are translated too, so nothing of a sentence stays English.
"""

from frappe import _

from collections_module.policy import contact_rules as cr


def tr(template: str, args: tuple | list = ()) -> str:
	if not template:
		return ""
	return _(template).format(*(_(a) if isinstance(a, str) else a for a in args))


def verdict_text(verdict) -> str:
	return tr(verdict.message, getattr(verdict, "args", ()))


def rule_name(rule: str) -> str:
	return _(cr.rule_label(rule)) if rule else ""
