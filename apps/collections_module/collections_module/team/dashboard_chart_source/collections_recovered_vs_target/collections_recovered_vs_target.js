frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Collections Recovered vs Target"] = {
	method: "collections_module.team.api.recovered_vs_target",
	filters: [],
};
