// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.query_reports["Collector Performance"] = {
	filters: [
		{ fieldname: "from_date", label: __("From Date"), fieldtype: "Date", default: frappe.datetime.month_start(), reqd: 1 },
		{ fieldname: "to_date", label: __("To Date"), fieldtype: "Date", default: frappe.datetime.month_end(), reqd: 1 },
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
		{ fieldname: "collector", label: __("Collector"), fieldtype: "Link", options: "User" },
		{ fieldname: "team", label: __("Team"), fieldtype: "Data" },
	],
};
