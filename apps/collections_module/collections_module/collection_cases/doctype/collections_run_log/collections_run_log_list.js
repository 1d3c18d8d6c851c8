// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.listview_settings["Collections Run Log"] = {
	get_indicator(doc) {
		const colour = { Queued: "blue", Running: "orange", Finished: "green", Failed: "red" }[doc.status] || "grey";
		return [__(doc.status), colour, `status,=,${doc.status}`];
	},
	onload(listview) {
		if (!frappe.user.has_role("Collection Manager") && !frappe.user.has_role("System Manager")) return;
		const button = listview.page.add_inner_button(__("Run Today's Ladder"), () => {
			button.prop("disabled", true); // one click, one run: the server refuses a second anyway
			frappe
				.xcall("collections_module.collection_cases.api.start_run")
				.then((r) => {
					frappe.show_alert({ message: r.message, indicator: r.indicator }, 10);
					listview.refresh();
				})
				.finally(() => button.prop("disabled", false));
		});
		frappe.realtime.on("collections_run_progress", (data) => {
			frappe.show_progress(__("Collections run"), data.done, data.total, data.description);
			if (data.done >= data.total) {
				frappe.hide_progress();
				listview.refresh();
			}
		});
	},
};
