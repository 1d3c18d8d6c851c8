"""Messages the policy core decides, in the user's language.

The policy core has no Frappe: it returns an English template ("{0} outbound calls already today; at
most {1} a day.") with its arguments. Here the template is translated, then filled; text arguments
(weekday names, stage names, rule names) are translated too, so nothing of a sentence stays English.
"""

import frappe
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


# --- texts stored for a person to read (ToDo descriptions, notifications) ---------------------------
# A text the system writes for someone is given as a callable that builds it with _(); it is built in
# each reader's own language (their User language, else the site's) before it is stored.


def languages_of(users) -> dict[str, str]:
	"""user -> the language the user reads the desk in."""
	users = sorted({u for u in users or [] if u})
	default = frappe.db.get_default("lang") or frappe.local.lang or "en"
	if not users:
		return {}
	stored = dict(
		frappe.get_all("User", filters={"name": ["in", users]}, fields=["name", "language"], as_list=True)
	)
	return {u: stored.get(u) or default for u in users}


def in_language(text, language: str) -> str:
	"""``text`` (a string, or a callable building it with _()) in ``language``."""
	if not callable(text):
		return text
	from frappe.translate import print_language

	with print_language(language):
		return text()


def for_readers(text, users) -> dict[str, str]:
	"""user -> ``text`` in that user's language (built once per language)."""
	langs = languages_of(users)
	built = {lang: in_language(text, lang) for lang in set(langs.values())}
	return {u: built[lang] for u, lang in langs.items()}
