frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Collections Recovery Trend"] = {
	method: "collections_module.team.dashboard_chart_source.collections_recovery_trend.collections_recovery_trend.get",
	filters: [
		{
			fieldname: "company",
			label: __("Company"),
			fieldtype: "Link",
			options: "Company",
			default: frappe.defaults.get_user_default("Company"),
		},
	],
};
