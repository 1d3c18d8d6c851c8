// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Collections Run Log"] = {
	get_indicator(doc) {
		const colour = { Running: "orange", Finished: "green", Failed: "red" }[doc.status] || "grey";
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
	onload(listview) {
		if (!frappe.user.has_role("Collection Manager") && !frappe.user.has_role("System Manager")) return;
		listview.page.add_inner_button(__("Run Today's Ladder"), () =>
			frappe
				.xcall("collections_module.collection_cases.api.start_run")
				.then((message) => frappe.show_alert({ message, indicator: "green" }))
		);
		frappe.realtime.on("collections_run_progress", (data) => {
			frappe.show_progress(__("Collections run"), data.done, data.total, data.description);
			if (data.done >= data.total) {
				frappe.hide_progress();
				listview.refresh();
			}
		});
	},
};
