#!/usr/bin/env bash
# Kill the daily run at random moments and run it again; start two at once. Count what was doubled.
# Run as the bench owner from the bench folder, on a throwaway site built with crash_rerun.build:
#   bash apps/collections_module/collections_module/benchmarks/crash_rerun.sh SITE [DATE]
set -u
SITE="$1"; DATE="${2:-$(date +%F)}"
bench --site "$SITE" set-config -p collections_chunk_size 25 >/dev/null
for i in 1 2 3; do
	day=$(date -d "$DATE + $((i * 3)) day" +%F)  # a new day: follow-ups fall due again
	setsid bench --site "$SITE" collections run --date "$day" >/tmp/crash_run_$i.log 2>&1 &
	pid=$!
	wait_s=$(python3 -c "import random; print(round(random.uniform(1.5, 4.5), 1))")
	sleep "$wait_s"
	if kill -9 -- "-$pid" 2>/dev/null; then
		echo "run $i ($day) killed after ${wait_s}s at: $(tr '\r' '\n' </tmp/crash_run_$i.log | grep written | tail -1)"
	else
		echo "run $i ($day) had finished before ${wait_s}s"
	fi
	wait "$pid" 2>/dev/null
	bench --site "$SITE" collections run --date "$day" | grep -E "cases touched|took"
	bench --site "$SITE" execute collections_module.benchmarks.crash_rerun.duplicates | tail -1
done
NEXT=$(date -d "$DATE + 12 day" +%F)
bench --site "$SITE" collections run --date "$NEXT" >/tmp/crash_two_a.log 2>&1 &
bench --site "$SITE" collections run --date "$NEXT" >/tmp/crash_two_b.log 2>&1 &
wait
echo "-- two runs at once:"; tail -1 /tmp/crash_two_a.log; tail -1 /tmp/crash_two_b.log
bench --site "$SITE" execute collections_module.benchmarks.crash_rerun.duplicates
bench --site "$SITE" set-config -p collections_chunk_size 200 >/dev/null
