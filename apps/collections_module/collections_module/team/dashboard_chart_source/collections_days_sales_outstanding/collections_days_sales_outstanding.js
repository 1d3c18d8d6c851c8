frappe.provide("frappe.dashboards.chart_sources");

frappe.dashboards.chart_sources["Collections Days Sales Outstanding"] = {
	method: "collections_module.team.dashboard_chart_source.collections_days_sales_outstanding.collections_days_sales_outstanding.get",
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
