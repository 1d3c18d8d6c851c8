from datetime import date, timedelta

import pytest

from collections_module.policy import stock_lock as sl
from collections_module.policy.ladder import DEFAULT_LADDER, STOCK_LOCK, stage_for

D = date(2026, 6, 1)


@pytest.mark.parametrize(
	"doctype, update_stock, hold_so, held",
	[
		("Delivery Note", False, False, True),
		("Pick List", False, False, True),
		("Sales Invoice", False, False, False),  # invoicing goods already shipped: never blocked
		("Sales Invoice", True, False, True),  # an invoice that ships (Update Stock) is a shipment
		("Sales Order", False, False, False),
		("Sales Order", False, True, True),
		("Quotation", False, True, False),
		("Payment Entry", False, True, False),
	],
)
def test_which_documents_a_lock_holds(doctype, update_stock, hold_so, held):
	assert sl.is_held(doctype, update_stock, hold_so) is held


@pytest.mark.parametrize(
	"state, blocks",
	[
		(None, False),
		(sl.PROPOSED, False),
		(sl.APPROVED, False),
		(sl.ACTIVE, True),
		(sl.RELEASE_PROPOSED, True),
		(sl.RELEASED, False),
		(sl.REJECTED, False),
	],
)
def test_nothing_blocks_before_the_owner_approves_and_until_released(state, blocks):
	assert sl.shipment_verdict(state, held=True, unused_passes=0, pass_applies=True).allowed is not blocks


def test_one_shipment_pass_is_used_once_and_only_for_delivery_notes():
	assert sl.shipment_verdict(sl.ACTIVE, True, 1, True) == sl.ShipmentVerdict(True, use_pass=True)
	assert sl.shipment_verdict(sl.ACTIVE, True, 0, True) == sl.ShipmentVerdict(False)
	assert sl.shipment_verdict(sl.ACTIVE, True, 1, False) == sl.ShipmentVerdict(False)
	assert sl.shipment_verdict(sl.ACTIVE, False, 0, False) == sl.ShipmentVerdict(True)


def test_lock_proposed_from_the_lock_stage_on_once():
	stages = list(DEFAULT_LADDER)
	assert not sl.propose_lock(stages, stage_for(stages, 90), None)
	assert sl.propose_lock(stages, stage_for(stages, 91), None)
	assert sl.propose_lock(stages, stage_for(stages, 125), None)  # first seen past the lock stage
	assert not sl.propose_lock(stages, stage_for(stages, 91), "SRL-0001")
	assert not sl.propose_lock(stages, None, None)
	assert not sl.propose_lock(stages, stage_for(stages, 95), None, net_overdue=0.0)  # paid on account
	no_lock_row = [s for s in stages if s.action != STOCK_LOCK]
	assert not sl.propose_lock(no_lock_row, stage_for(no_lock_row, 200), None)


@pytest.mark.parametrize(
	"overdue, threshold, proposed",
	[(0.0, 0.0, True), (0.01, 0.0, False), (500.0, 500.0, True), (500.01, 500.0, False)],
)
def test_release_proposed_at_or_below_threshold(overdue, threshold, proposed):
	assert sl.propose_release(sl.ACTIVE, overdue, threshold) is proposed
	assert not sl.propose_release(sl.PROPOSED, 0.0, 0.0)


def test_approved_lock_activates_on_its_effective_date():
	assert sl.activate_on(sl.APPROVED, D, D)
	assert not sl.activate_on(sl.APPROVED, D + timedelta(days=1), D)
	assert sl.activate_on(sl.APPROVED, None, D)
	assert not sl.activate_on(sl.PROPOSED, D, D)


@pytest.mark.parametrize(
	"state, start, expiry, on, in_force",
	[
		(sl.BL_ACTIVE, D, None, D, True),
		(sl.BL_ACTIVE, D, None, D - timedelta(days=1), False),
		(sl.BL_ACTIVE, D, D + timedelta(days=30), D + timedelta(days=30), True),
		(sl.BL_ACTIVE, D, D + timedelta(days=30), D + timedelta(days=31), False),
		(sl.BL_REMOVAL_PROPOSED, D, None, D, True),
		(sl.BL_PROPOSED, D, None, D, False),
		(sl.BL_REMOVED, D, None, D, False),
	],
)
def test_blacklist_in_force(state, start, expiry, on, in_force):
	assert sl.blacklist_in_force(state, start, expiry, on) is in_force


def test_blacklist_refuses_per_settings():
	assert sl.blacklist_refuses("Quotation", True, False)
	assert not sl.blacklist_refuses("Quotation", False, True)
	assert sl.blacklist_refuses("Sales Order", False, True)
	assert not sl.blacklist_refuses("Delivery Note", True, True)


@pytest.mark.parametrize(
	"overdue, credit, net",
	[
		(100.0, 0.0, 100.0),
		(100.0, 30.0, 70.0),
		(100.0, 100.0, 0.0),
		(100.0, 250.0, 0.0),
		(100.0, -5.0, 100.0),
	],
)
def test_net_overdue(overdue, credit, net):
	assert sl.net_overdue(overdue, credit) == net


def test_keep_locked_is_remembered():
	from datetime import date

	from collections_module.policy.stock_lock import ACTIVE, propose_release

	d = date(2026, 12, 1)
	assert propose_release(ACTIVE, 0, 100)  # paid down: release proposed
	# the owner kept it locked with 80 overdue and no date: not again until the customer pays more
	assert not propose_release(ACTIVE, 80, 100, None, 80.0, d)
	assert propose_release(ACTIVE, 50, 100, None, 80.0, d)
	# kept until a date: not before it, whatever is paid
	assert not propose_release(ACTIVE, 0, 100, date(2026, 12, 31), 80.0, d)
	assert propose_release(ACTIVE, 0, 100, date(2026, 12, 31), 80.0, date(2027, 1, 1))


def test_a_deliberate_release_is_not_proposed_again_the_next_day():
	from datetime import date

	from collections_module.policy.stock_lock import LastRelease, lock_again

	last = LastRelease(date(2026, 12, 1), 700.0)
	assert not lock_again(last, 700.0, date(2026, 12, 2), 30)
	assert lock_again(last, 900.0, date(2026, 12, 2), 30)  # the debt grew
	assert lock_again(last, 700.0, date(2026, 12, 31), 30)  # the waiting days passed
	assert lock_again(None, 700.0, date(2026, 12, 2), 30)
