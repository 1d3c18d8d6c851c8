// Copyright (c) 2026, collections_module developers and contributors
// For license information, please see license.txt

const QUALITY_CHECKLIST = [
	"identity_and_debt_confirmed",
	"identity_disclosed",
	"polite_language",
	"no_threats",
	"no_third_party_disclosure",
	"amounts_correct",
	"contact_rules_respected",
];

frappe.ui.form.on("Call Quality Review", {
	setup(frm) {
		// the reviewer picks a recorded phone call not reviewed yet (the call is fixed once saved)
		frm.set_query("contact_log", () => ({
			query: "collections_module.team.doctype.call_quality_review.call_quality_review.recorded_calls",
		}));
	},

	refresh(frm) {
		if (frm.is_new() && frm.doc.contact_log && !frm.doc.collector) {
			frm.trigger("contact_log"); // opened with its call already chosen
		} else {
			frm.events.show_player(frm);
		}
		if (frm.doc.docstatus === 1 && !frm.doc.acknowledged && frm.doc.collector === frappe.session.user) {
			frm.add_custom_button(__("Acknowledge"), () => {
				frappe.prompt(
					{ fieldname: "comment", fieldtype: "Small Text", label: __("Your Comment") },
					(values) =>
						frappe
							.xcall("collections_module.team.api.acknowledge", { review: frm.doc.name, comment: values.comment })
							.then(() => frm.reload_doc()),
					__("Acknowledge the review"),
					__("Acknowledge")
				);
			}).addClass("btn-primary");
		}
	},

	async contact_log(frm) {
		// what the server takes from the call on save, shown at once
		const call = frm.doc.contact_log
			? await frappe.db.get_value("Contact Log", frm.doc.contact_log, ["collector", "collection_case", "recording"])
			: null;
		const values = (call && call.message) || {};
		await frm.set_value({
			collector: values.collector || "",
			collection_case: values.collection_case || "",
			recording: values.recording || "",
		});
		frm.events.show_player(frm);
	},

	show_player(frm) {
		const field = frm.get_field("recording_player");
		if (!field) return;
		const $wrapper = field.$wrapper.empty();
		if (!frm.doc.recording) {
			if (frm.doc.contact_log) {
				$wrapper.append($("<div class='text-muted small'>").text(__("This call has no recording.")));
			}
			return;
		}
		$wrapper.append(
			$("<audio controls preload='metadata' style='width: 100%'>").attr("src", frm.doc.recording),
			$("<div class='small'>").append(
				$("<a target='_blank' rel='noopener'>").attr("href", frm.doc.recording).text(__("Open the recording"))
			)
		);
	},
});

// the score as the reviewer ticks (the server computes the one saved)
QUALITY_CHECKLIST.forEach((field) => {
	frappe.ui.form.on("Call Quality Review", field, (frm) => {
		if (frm.doc.docstatus !== 0) return;
		const ticked = QUALITY_CHECKLIST.filter((f) => frm.doc[f]).length;
		frm.set_value("score", (100 * ticked) / QUALITY_CHECKLIST.length);
	});
});
