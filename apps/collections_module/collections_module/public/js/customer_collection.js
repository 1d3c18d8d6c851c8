// The collection policy (and a customer's debtor time zone) are collection managers' settings: others
// see them read-only; managers change them with the "Collection Settings" action, which the server
// checks again (integrations/erpnext/customer_fields.py).
["Customer", "Customer Group"].forEach((doctype) => {
	frappe.ui.form.on(doctype, {
		refresh(frm) {
			const fields = doctype === "Customer" ? ["collection_policy", "collection_timezone"] : ["collection_policy"];
			const manager = ["Collection Manager", "Collection General Manager", "Business Owner", "System Manager"].some((r) =>
				frappe.user.has_role(r)
			);
			fields.forEach((f) => frm.fields_dict[f] && frm.set_df_property(f, "read_only", manager ? 0 : 1));
			if (!manager || frm.is_new()) return;
			frm.add_custom_button(__("Collection Settings"), () => {
				const dialog_fields = [
					{ fieldname: "collection_policy", fieldtype: "Link", options: "Collection Policy", label: __("Collection Policy"), default: frm.doc.collection_policy },
				];
				if (doctype === "Customer") {
					dialog_fields.push({ fieldname: "collection_timezone", fieldtype: "Data", label: __("Debtor Time Zone"), default: frm.doc.collection_timezone, description: __("e.g. Asia/Shanghai") });
				}
				frappe.prompt(
					dialog_fields,
					(values) =>
						frappe
							.xcall("collections_module.collection_cases.api.set_collection_fields", {
								doctype,
								name: frm.doc.name,
								collection_policy: values.collection_policy || "",
								collection_timezone: doctype === "Customer" ? values.collection_timezone || "" : null,
							})
							.then(() => frm.reload_doc()),
					__("Collection Settings")
				);
			});
		},
	});
});
