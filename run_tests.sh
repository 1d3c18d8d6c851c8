#!/usr/bin/env bash
# Runs the three test layers of collections_module and says plainly which ran.
#   Layer 1 - policy core: plain pytest from the repo root, no Frappe needed. Always runs.
#   Layer 2 - Frappe shell: `bench --site $SITE run-tests --app collections_module` on a real ERPNext
#             v15 bench, whenever one is found. The bench is looked for at $COLLECTIONS_BENCH, else
#             /home/frappe/frappe-bench, else ~/frappe-bench; the site is $COLLECTIONS_SITE, else
#             collections.localhost. This checkout's app is installed into that bench first (a copy
#             or a link in <bench>/apps/collections_module, then install-app or migrate).
#   Layer 3 - role journeys in a real browser (browser_tests/, Playwright from PyPI driving Debian's
#             chromium, no browser download) against the site served by `bench serve` on
#             127.0.0.1:$COLLECTIONS_PORT (default 8010) with the demo data rebuilt fresh
#             (`bench collections demo --remove`, then `demo`), whenever layer 2's bench and site are
#             there and Chromium is at $COLLECTIONS_CHROMIUM (default /usr/bin/chromium). Screenshots:
#             docs/screenshots/journey_*.png.
# Set COLLECTIONS_SKIP_BENCH=1 to run layer 1 only, COLLECTIONS_SKIP_BROWSER=1 to skip layer 3.
set -uo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
cd "$REPO"
summary=()
status=0

# ---- layer 1 --------------------------------------------------------------------------------------
PY="${PYTHON:-python3}"
if ! "$PY" -c "import pytest, hypothesis" 2>/dev/null; then
	"$PY" -m pip install -q "pytest>=8" "hypothesis>=6" || true
fi
echo "== Layer 1: policy core (pytest, no Frappe) =="
out1=$("$PY" -m pytest -p no:cacheprovider tests 2>&1); rc1=$?
echo "$out1" | tail -n 15
passed1=$(echo "$out1" | grep -Eo '[0-9]+ passed' | tail -1)
if [ $rc1 -eq 0 ]; then summary+=("Layer 1 (policy core): RAN - ${passed1:-0 passed}"); else summary+=("Layer 1 (policy core): FAILED - $(echo "$out1" | tail -1)"); status=1; fi

# ---- layer 2 --------------------------------------------------------------------------------------
find_bench() {
	for b in "${COLLECTIONS_BENCH:-}" /home/frappe/frappe-bench "$HOME/frappe-bench"; do
		if [ -n "$b" ] && [ -d "$b/apps/frappe" ] && [ -d "$b/apps/erpnext" ] && [ -x "$b/env/bin/python" ]; then
			echo "$b"; return 0
		fi
	done
	return 1
}

BENCH="$(find_bench)"
SITE="${COLLECTIONS_SITE:-collections.localhost}"
if [ "${COLLECTIONS_SKIP_BENCH:-0}" = "1" ]; then
	summary+=("Layer 2 (Frappe bench): SKIPPED - COLLECTIONS_SKIP_BENCH=1")
elif [ -z "$BENCH" ] || [ ! -d "$BENCH/sites/$SITE" ]; then
	summary+=("Layer 2 (Frappe bench): SKIPPED - no ERPNext bench with site $SITE at \$COLLECTIONS_BENCH, /home/frappe/frappe-bench or ~/frappe-bench")
else
	echo "== Layer 2: Frappe shell on $BENCH, site $SITE =="
	OWNER="$(stat -c %U "$BENCH")"
	# bench refuses to run as root: run as the bench's owner, in a login shell (its PATH and settings).
	as_owner() {
		local cmd; cmd="cd $(printf %q "$BENCH") && $(printf '%q ' "$@")"
		if [ "$(id -un)" = "$OWNER" ]; then bash -c "$cmd"; else runuser -u "$OWNER" -- bash -lc "$cmd"; fi
	}
	# MariaDB and Redis: start them when nothing answers (CI starts with nothing running).
	if ! mysqladmin ping --silent 2>/dev/null; then
		if [ "$(id -u)" = 0 ]; then
			mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld
			(mysqld_safe >/dev/null 2>&1 &)
			for _ in $(seq 1 60); do mysqladmin ping --silent 2>/dev/null && break; sleep 1; done
		fi
	fi
	for port in $(grep -Eo 'redis://[^"]+' "$BENCH/sites/common_site_config.json" | grep -Eo ':[0-9]+$' | tr -d : | sort -u); do
		if ! redis-cli -p "$port" ping >/dev/null 2>&1; then
			redis-server --port "$port" --daemonize yes --save "" --appendonly no >/dev/null
		fi
	done
	# This checkout's app into the bench: keep a link that already points here, else a fresh copy.
	APP_SRC="$REPO/apps/collections_module"
	APP_DST="$BENCH/apps/collections_module"
	if [ "$(readlink -f "$APP_DST" 2>/dev/null)" != "$(readlink -f "$APP_SRC")" ]; then
		rm -rf "$APP_DST"
		cp -a "$APP_SRC" "$APP_DST"
		chown -R "$OWNER" "$APP_DST" 2>/dev/null || true
	fi
	if ! grep -qx collections_module "$BENCH/sites/apps.txt"; then
		[ -n "$(tail -c1 "$BENCH/sites/apps.txt")" ] && echo >> "$BENCH/sites/apps.txt"
		echo collections_module >> "$BENCH/sites/apps.txt"
	fi
	# (re)install only when the bench's Python does not already import the app from apps/collections_module
	found=$(as_owner ./env/bin/python -c "import collections_module, os; print(os.path.realpath(collections_module.__file__))" 2>/dev/null)
	if [ "$found" != "$(readlink -f "$APP_DST/collections_module/__init__.py")" ]; then
		as_owner ./env/bin/python -m pip install -q -e apps/collections_module >/dev/null 2>&1 \
			|| as_owner ./env/bin/python -m pip install -q --no-build-isolation -e apps/collections_module
	fi
	# the test dependencies Frappe lists as its own dev-dependencies (state machines, frozen days)
	if ! as_owner ./env/bin/python -c "import hypothesis, freezegun" 2>/dev/null; then
		as_owner ./env/bin/python -m pip install -q "hypothesis~=6.77.0" "freezegun~=1.2.2" || status=1
	fi
	# the app's static files (what `bench build --app collections_module` links): the desk loads them
	mkdir -p "$BENCH/sites/assets" && ln -sfn "$(readlink -f "$APP_DST")/collections_module/public" "$BENCH/sites/assets/collections_module"
	# a module map cached in Redis before the app joined the bench would hide its doctypes from the sync
	as_owner bench --site "$SITE" clear-cache >/dev/null 2>&1 || true
	if as_owner bench --site "$SITE" list-apps 2>/dev/null | grep -q '^collections_module'; then
		as_owner bench --site "$SITE" migrate >/tmp/collections-migrate.log 2>&1 || { tail -30 /tmp/collections-migrate.log; status=1; }
	else
		as_owner bench --site "$SITE" install-app collections_module || status=1
	fi
	start=$(date +%s)
	out2=$(as_owner env CI=1 bench --site "$SITE" run-tests --app collections_module 2>&1); rc2=$?
	secs=$(( $(date +%s) - start ))
	echo "$out2" | tail -n 40
	ran=$(echo "$out2" | grep -Eo 'Ran [0-9]+ tests?' | tail -1)
	if [ $rc2 -eq 0 ] && echo "$out2" | grep -q '^OK'; then
		summary+=("Layer 2 (Frappe bench $BENCH, site $SITE): RAN - ${ran:-Ran ? tests}, OK in ${secs}s")
	else
		summary+=("Layer 2 (Frappe bench $BENCH, site $SITE): FAILED - ${ran:-no test count} ($(echo "$out2" | grep -E '^(FAILED|OK)' | tail -1))")
		status=1
	fi
fi

# ---- layer 3 --------------------------------------------------------------------------------------
# Role journeys in a real browser: Playwright (PyPI) driving Debian's Chromium against the test site
# served on loopback, on the demo data (rebuilt fresh, so every run starts from the same state).
CHROMIUM="${COLLECTIONS_CHROMIUM:-/usr/bin/chromium}"
PORT="${COLLECTIONS_PORT:-8010}"
if [ "${COLLECTIONS_SKIP_BROWSER:-0}" = "1" ]; then
	summary+=("Layer 3 (browser journeys): SKIPPED - COLLECTIONS_SKIP_BROWSER=1")
elif [ "${COLLECTIONS_SKIP_BENCH:-0}" = "1" ] || [ -z "$BENCH" ] || [ ! -d "$BENCH/sites/$SITE" ]; then
	summary+=("Layer 3 (browser journeys): SKIPPED - needs the bench and site of layer 2")
elif [ ! -x "$CHROMIUM" ]; then
	summary+=("Layer 3 (browser journeys): SKIPPED - no Chromium at $CHROMIUM (Debian package chromium)")
elif ! "$PY" -c "import playwright.sync_api" 2>/dev/null && ! "$PY" -m pip install -q playwright \
	|| ! "$PY" -c "import playwright.sync_api" 2>/dev/null; then
	summary+=("Layer 3 (browser journeys): SKIPPED - Playwright (PyPI) is not installed for $PY and pip could not install it")
elif curl -s -o /dev/null --max-time 2 "http://127.0.0.1:$PORT/"; then
	summary+=("Layer 3 (browser journeys): FAILED - port $PORT is already in use (set COLLECTIONS_PORT)")
	status=1
else
	echo "== Layer 3: browser journeys on http://$SITE:$PORT =="
	start=$(date +%s)
	# the demo data, fresh: the journeys change it (a lock approved, a call logged)
	if ! as_owner bench --site "$SITE" collections demo --remove >/tmp/collections-demo.log 2>&1 \
		|| ! as_owner bench --site "$SITE" collections demo >>/tmp/collections-demo.log 2>&1; then
		tail -20 /tmp/collections-demo.log
		summary+=("Layer 3 (browser journeys): FAILED - the demo data could not be built (/tmp/collections-demo.log)")
		status=1
	else
		# `bench serve` as the bench's owner in a session of its own: its process group id is written
		# by the shell that becomes the server, and the whole group is stopped at the end.
		pgid_file="$(mktemp)"
		serve="cd $(printf %q "$BENCH") && exec bench serve --port $PORT --noreload"
		if [ "$(id -un)" = "$OWNER" ]; then
			setsid bash -c 'echo $$ >"$0"; exec bash -c "$1"' "$pgid_file" "$serve" >/tmp/collections-serve.log 2>&1 &
		else
			setsid bash -c 'echo $$ >"$0"; exec runuser -u "$1" -- bash -lc "$2"' "$pgid_file" "$OWNER" "$serve" \
				>/tmp/collections-serve.log 2>&1 &
		fi
		up=""
		for _ in $(seq 1 60); do
			if [ "$(curl -s -o /dev/null -w '%{http_code}' -H "Host: $SITE" "http://127.0.0.1:$PORT/login")" = 200 ]; then
				up=1
				break
			fi
			sleep 1
		done
		if [ -z "$up" ]; then
			tail -20 /tmp/collections-serve.log
			out3="the site did not answer on 127.0.0.1:$PORT within 60 s (/tmp/collections-serve.log)"; rc3=1
		else
			# Chromium resolves *.localhost to loopback: the site is reached under its own name
			out3=$(COLLECTIONS_URL="http://$SITE:$PORT" COLLECTIONS_CHROMIUM="$CHROMIUM" \
				"$PY" -m pytest -p no:cacheprovider -rw browser_tests 2>&1); rc3=$?
		fi
		pgid="$(cat "$pgid_file" 2>/dev/null)"
		if [ -n "$pgid" ]; then
			kill -TERM -- "-$pgid" 2>/dev/null
			for _ in $(seq 1 10); do kill -0 -- "-$pgid" 2>/dev/null || break; sleep 1; done
			kill -KILL -- "-$pgid" 2>/dev/null
		fi
		rm -f "$pgid_file"
		secs=$(( $(date +%s) - start ))
		echo "$out3" | tail -n 25
		passed3=$(echo "$out3" | grep -Eo '[0-9]+ passed' | tail -1)
		if [ $rc3 -eq 0 ]; then
			summary+=("Layer 3 (browser journeys): RAN - ${passed3:-0 passed} in ${secs}s with the demo data (screenshots in docs/screenshots/journey_*.png)")
		else
			summary+=("Layer 3 (browser journeys): FAILED - $(echo "$out3" | tail -1)")
			status=1
		fi
	fi
fi

echo
echo "== Test layers =="
printf '%s\n' "${summary[@]}"
exit $status
