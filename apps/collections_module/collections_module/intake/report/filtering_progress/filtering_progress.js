// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.query_reports["Filtering Progress"] = {
	filters: [
		{ fieldname: "intake_batch", label: __("Intake Batch"), fieldtype: "Link", options: "Intake Batch" },
		{ fieldname: "collector", label: __("Collector"), fieldtype: "Link", options: "User" },
		{
			fieldname: "group_by",
			label: __("Group By"),
			fieldtype: "Select",
			options: ["Intake Batch", "Collector"],
			default: "Intake Batch",
		},
	],
};
