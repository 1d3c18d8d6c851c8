// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

// Who may act on many cases at once (the server checks the same roles).
const CASE_LEADS = ["Collection Supervisor", "Collection Manager", "Collection General Manager", "Business Owner", "System Manager"];

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
		if (frappe.user.has_role(CASE_LEADS)) {
			listview.page.add_actions_menu_item(__("Assign to Collector"), () => assign_to_collector(listview), false);
			listview.page.add_actions_menu_item(__("Request Letters"), () => request_letters(listview), false);
		}
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

// "Assign to Collector": every selected case handed over as the form's "Reassign" does, with a reason.
function assign_to_collector(listview) {
	const cases = listview.get_checked_items(true);
	if (!cases.length) return;
	const dialog = new frappe.ui.Dialog({
		title: __("Assign {0} cases to a collector", [cases.length]),
		fields: [
			{
				fieldname: "collector",
				fieldtype: "Link",
				options: "User",
				label: __("Collector"),
				reqd: 1,
				get_query: () => ({ query: "collections_module.collection_cases.overview_api.collector_query" }),
			},
			{ fieldname: "reason", fieldtype: "Small Text", label: __("Reason", null, "Collection Case"), reqd: 1 },
		],
		primary_action_label: __("Assign", null, "Collection Case"),
		primary_action({ collector, reason }) {
			dialog.disable_primary_action();
			frappe
				.xcall("collections_module.collection_cases.overview_api.assign_cases", { cases, collector, reason })
				.then((results) => {
					dialog.hide();
					show_bulk_results(__("Assign to Collector"), results);
					listview.refresh();
				})
				.finally(() => dialog.enable_primary_action());
		},
	});
	dialog.show();
}

// "Request Letters": a draft collection letter for every selected case, for the owner to approve.
function request_letters(listview) {
	const cases = listview.get_checked_items(true);
	if (!cases.length) return;
	frappe.confirm(__("Draft a collection letter for each of the {0} selected cases?", [cases.length]), () =>
		frappe.xcall("collections_module.collection_cases.overview_api.request_letters", { cases }).then((results) => {
			show_bulk_results(__("Request Letters"), results);
			listview.refresh();
		})
	);
}

// What was done and what was refused, case by case, with the reason.
function show_bulk_results(title, results) {
	const esc = frappe.utils.escape_html;
	const done = (results || []).filter((r) => r.done).length;
	const rows = (results || [])
		.map((r) => {
			const link = frappe.utils.get_form_link("Collection Case", r.case, true, esc(r.case));
			const pill = r.done
				? `<span class="indicator-pill green">${esc(__("Done", null, "Collection Case"))}</span>`
				: `<span class="indicator-pill red">${esc(__("Refused"))}</span>`;
			return `<tr><td>${link}</td><td>${pill}</td><td>${esc(r.message || "")}</td></tr>`;
		})
		.join("");
	frappe.msgprint({
		title,
		indicator: done === (results || []).length ? "green" : "orange",
		message:
			`<p>${esc(__("{0} of {1} cases done.", [done, (results || []).length]))}</p>` +
			`<table class="table table-bordered table-sm small"><tbody>${rows}</tbody></table>`,
	});
}
