// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

frappe.ui.form.on("Intake Batch", {
	refresh(frm) {
		if (frm.is_new()) return;
		frm.add_custom_button(__("Import Debts"), () => {
			frappe.route_options = { reference_doctype: "Debt", import_type: "Insert New Records" };
			frappe.new_doc("Data Import");
		});
		frm.add_custom_button(__("Debts"), () => frappe.set_route("List", "Debt", { intake_batch: frm.doc.name }));
		if (frm.perm[0]?.write && frm.doc.status === "Open") {
			frm.add_custom_button(__("Allocate"), () => allocate(frm)).addClass("btn-primary");
		}
	},
});

function allocate(frm) {
	frappe.xcall("collections_module.intake.api.propose", { batch: frm.doc.name }).then((r) => {
		if (!r.assignments.length) {
			frappe.msgprint(__("Every case of this batch has a collector."));
			return;
		}
		const esc = frappe.utils.escape_html;
		// the collector's name is shown, the user is what is stored
		const options = [""].concat(r.loads.map((l) => ({ value: l.collector, label: l.full_name || l.collector })));
		const d = new frappe.ui.Dialog({
			title: __("Allocation proposal"),
			size: "extra-large",
			fields: [
				{ fieldtype: "HTML", fieldname: "loads" },
				{
					fieldtype: "Table",
					fieldname: "assignments",
					label: __("Cases"),
					cannot_add_rows: true,
					in_place_edit: true,
					data: r.assignments,
					fields: [
						{ fieldtype: "Link", options: "Collection Case", fieldname: "case", label: __("Collection Case"), read_only: 1, in_list_view: 1, columns: 2 },
						{ fieldtype: "Data", fieldname: "customer", label: __("Customer"), read_only: 1, in_list_view: 1, columns: 2 },
						{ fieldtype: "Select", options: options, fieldname: "collector", label: __("Collector"), in_list_view: 1, columns: 2 },
						{ fieldtype: "Data", fieldname: "reason", label: __("Why"), read_only: 1, in_list_view: 1, columns: 4 },
					],
				},
			],
			primary_action_label: __("Confirm Allocation"),
			primary_action(values) {
				frappe
					.xcall("collections_module.intake.api.confirm", { batch: frm.doc.name, assignments: values.assignments })
					.then((n) => {
						d.hide();
						frappe.show_alert({ message: __("{0} cases allocated.", [n]), indicator: "green" });
						frm.reload_doc();
					});
			},
		});
		let html = `<table class="table table-bordered"><thead><tr><th>${__("Collector")}</th><th>${__("Open Cases Before")}</th><th>${__("After")}</th><th>${__("Capacity (Open Cases)")}</th></tr></thead><tbody>`;
		r.loads.forEach((l) => {
			html += `<tr><td>${esc(l.full_name)}</td><td>${l.before}</td><td>${l.after}</td><td>${l.capacity ?? "-"}</td></tr>`;
		});
		d.fields_dict.loads.$wrapper.html(html + "</tbody></table>");
		d.show();
	});
}
