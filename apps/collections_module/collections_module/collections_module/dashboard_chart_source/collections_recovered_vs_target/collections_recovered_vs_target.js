frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Collections Recovered vs Target"] = {
	method: "collections_module.dashboards.recovered_vs_target",
	filters: [],
};
