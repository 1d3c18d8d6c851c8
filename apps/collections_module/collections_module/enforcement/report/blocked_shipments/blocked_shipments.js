// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.query_reports["Blocked Shipments"] = {
	filters: [
		{ fieldname: "company", label: __("Company"), fieldtype: "Link", options: "Company", default: frappe.defaults.get_user_default("Company") },
		{ fieldname: "customer", label: __("Customer"), fieldtype: "Link", options: "Customer" },
	],
};
