# The chart's data: collections_module.dashboards.recovered_vs_target (the source's method).
