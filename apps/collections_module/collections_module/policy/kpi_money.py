"""Amounts in several currencies (issue 19, R-G1, R-G6): never summed silently.

Every amount is ``Money(amount, currency)``. ``total`` sums amounts of one currency and raises
``MixedCurrencies`` otherwise; a report either shows one figure per company (each in its own currency)
or converts to a presentation currency with ``convert``, whose result names every rate it used so the
report can show them ("1 USD = 7.10 CNY"). A currency without a rate raises ``MissingRate``: a figure
is never left out of a total nor counted at 1:1 by accident.

Rates are given as ``{currency: units of the presentation currency per 1 unit of it}``; the
presentation currency itself is at 1. The currency "" is "not stated": amounts without a currency sum
only with each other.
"""

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass


class MixedCurrencies(ValueError):
	"""Amounts of different currencies were about to be added up."""

	def __init__(self, currencies: Iterable[str]):
		self.currencies = tuple(sorted(set(currencies)))
		super().__init__(
			"amounts in different currencies: " + ", ".join(c or "(none)" for c in self.currencies)
		)


class MissingRate(ValueError):
	"""No exchange rate was given for a currency to convert."""

	def __init__(self, currency: str, to: str):
		self.currency, self.to = currency, to
		super().__init__(f"no exchange rate from {currency or '(none)'} to {to}")


@dataclass(frozen=True)
class Money:
	amount: float
	currency: str = ""


@dataclass(frozen=True)
class Converted:
	"""A total in the presentation ``currency`` and the rates used: ((currency, rate), ...) sorted."""

	amount: float
	currency: str
	rates: tuple[tuple[str, float], ...] = ()


def finite(x: float | None) -> float:
	return 0.0 if x is None or not math.isfinite(x) else float(x)


def by_currency(amounts: Iterable[Money]) -> dict[str, float]:
	"""The amounts summed per currency, currencies sorted."""
	parts: dict[str, list[float]] = {}
	for m in amounts:
		parts.setdefault(m.currency, []).append(finite(m.amount))
	return {c: math.fsum(parts[c]) for c in sorted(parts)}


def one_currency(currencies: Iterable[str]) -> str:
	"""The one currency of these ("" when none is given); MixedCurrencies when there are several."""
	found = set(currencies)
	if len(found) > 1:
		raise MixedCurrencies(found)
	return next(iter(found), "")


def total(amounts: Iterable[Money]) -> Money:
	"""The sum of amounts of one currency; MixedCurrencies otherwise. Money(0.0, "") when empty."""
	sums = by_currency(amounts)
	currency = one_currency(sums)
	return Money(sums.get(currency, 0.0), currency)


def rate(rates: Mapping[str, float], currency: str, to: str) -> float:
	"""Units of ``to`` per unit of ``currency``: 1 for the same currency, else ``rates[currency]``."""
	if currency == to:
		return 1.0
	r = rates.get(currency)
	if r is None or not math.isfinite(r) or r <= 0:
		raise MissingRate(currency, to)
	return float(r)


def convert(amounts: Iterable[Money], to: str, rates: Mapping[str, float]) -> Converted:
	"""The amounts converted to ``to`` and summed, with the rates used (MissingRate when one lacks)."""
	sums = by_currency(amounts)
	used = {c: rate(rates, c, to) for c in sums}
	amount = math.fsum(sums[c] * used[c] for c in sums)
	return Converted(amount, to, tuple((c, used[c]) for c in sorted(used) if c != to))


def rates_text(converted: Converted, translate=lambda s: s, fmt=lambda r: f"{r:,.4f}") -> str:
	"""'1 USD = 7.1000 CNY; 1 EUR = 7.8000 CNY', or the translated 'no conversion' when none."""
	if not converted.rates:
		return translate("no conversion")
	return "; ".join(
		translate("1 {0} = {1} {2}").format(c, fmt(r), converted.currency) for c, r in converted.rates
	)
