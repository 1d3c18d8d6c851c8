// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Collection Case"] = {
	add_fields: ["status", "oldest_days_overdue", "current_stage"],
	get_indicator(doc) {
		if (doc.status === "Closed") return [__("Closed"), "green", "status,=,Closed"];
		if (doc.status === "Paused") return [__("Paused"), "grey", "status,=,Paused"];
		if (doc.status === "Legal") return [__("Legal"), "purple", "status,=,Legal"];
		if (doc.status === "Promise to Pay") return [__("Promise to Pay"), "blue", "status,=,Promise to Pay"];
		const days = doc.oldest_days_overdue || 0;
		const colour = days > 90 ? "red" : days > 30 ? "orange" : "yellow";
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
};
