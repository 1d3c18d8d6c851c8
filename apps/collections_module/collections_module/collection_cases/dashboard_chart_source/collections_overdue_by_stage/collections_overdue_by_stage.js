frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Collections Overdue by Stage"] = {
	method: "collections_module.collection_cases.dashboard_chart_source.collections_overdue_by_stage.collections_overdue_by_stage.get",
	filters: [],
};
