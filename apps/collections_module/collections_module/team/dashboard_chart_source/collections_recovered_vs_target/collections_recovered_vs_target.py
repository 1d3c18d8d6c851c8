# The chart's data: collections_module.team.dashboards.recovered_vs_target (the source's method).
