// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

// The list shows who collects each case and how many days it is overdue (the column it sorts by,
// oldest first); stage and next action date stay available as filters.
frappe.listview_settings["Collection Case"] = {
	add_fields: ["status", "collector", "oldest_days_overdue", "current_stage", "total_outstanding"],
	formatters: {
		collector(value) {
			return value ? frappe.utils.escape_html(frappe.user.full_name(value)) : `<span class="text-muted">${__("Unassigned")}</span>`;
		},
	},
	onload(listview) {
		// supervisors and up: the customers today's run could not process, with a link to the run's log
		frappe
			.xcall("collections_module.collection_cases.api.failures_today")
			.then((failures) => {
				if (!failures || !failures.count) return;
				const link = `<a href="/app/collections-run-log/${encodeURIComponent(failures.log)}">${__("See the run log")}</a>`;
				listview.page
					.add_inner_message(`${frappe.utils.escape_html(failures.message)} ${link}`)
					.removeClass("text-muted")
					.addClass("text-danger");
			});
	},
	get_indicator(doc) {
		// the case's own words for its status (e.g. "Open" is 待催收 here, not a door that is open)
		if (doc.status === "Closed") return [__("Closed", null, "Collection Case"), "green", "status,=,Closed"];
		if (doc.status === "Paused") return [__("Paused"), "grey", "status,=,Paused"];
		if (doc.status === "Legal") return [__("Legal"), "purple", "status,=,Legal"];
		if (doc.status === "Promise to Pay") return [__("Promise to Pay"), "blue", "status,=,Promise to Pay"];
		if (doc.status === "Repayment Plan") return [__("Repayment Plan"), "cyan", "status,=,Repayment Plan"];
		const days = doc.oldest_days_overdue || 0;
		const colour = days > 90 ? "red" : days > 30 ? "orange" : "yellow";
		return [__(doc.status, null, "Collection Case"), colour, `status,=,${doc.status}`];
	},
};
