// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.query_reports["Weekly Report Status"] = {
	filters: [
		{
			fieldname: "week",
			label: __("Week Of"),
			fieldtype: "Date",
			// the Monday of last week: the week whose report is due (on a Sunday the week is not over)
			default: frappe.datetime.add_days(
				frappe.datetime.get_today(),
				-(moment(frappe.datetime.get_today()).isoWeekday() - 1) - 7
			),
			reqd: 1,
		},
		{ fieldname: "supervisor", label: __("Supervisor"), fieldtype: "Link", options: "User" },
		{ fieldname: "team", label: __("Team"), fieldtype: "Data" },
	],
	formatter(value, row, column, data, default_formatter) {
		value = default_formatter(value, row, column, data);
		const colours = { Submitted: "green", Draft: "orange", Missing: "red" };
		const colour = data && column.fieldname === "status" && colours[data.status_key];
		return colour ? `<span class="indicator-pill ${colour}">${value}</span>` : value;
	},
};
