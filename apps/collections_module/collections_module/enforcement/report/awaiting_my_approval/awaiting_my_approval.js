// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.query_reports["Awaiting My Approval"] = {
	filters: [],
};
