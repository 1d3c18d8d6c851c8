#!/usr/bin/env bash
# Sets up a development bench with ERPNext v15 and this app, by the standard upstream Frappe steps.
# Needs internet, a normal (non-root) user with sudo, Debian/Ubuntu. Usage:
#   bash scripts/setup_dev_bench.sh [BENCH_DIR] [SITE]     (defaults: ~/frappe-bench collections.localhost)
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
BENCH="${1:-$HOME/frappe-bench}"
SITE="${2:-collections.localhost}"
DB_ROOT_PASSWORD="${DB_ROOT_PASSWORD:-root}"
ADMIN_PASSWORD="${ADMIN_PASSWORD:-admin}"

sudo apt-get update
sudo apt-get install -y git python3-dev python3-venv python3-pip pipx mariadb-server mariadb-client \
	redis-server libmariadb-dev pkg-config xvfb libfontconfig nodejs npm curl cron \
	fonts-noto-cjk libpango-1.0-0 libpangoft2-1.0-0 poppler-utils   # CJK font and WeasyPrint for the PDFs
sudo npm install -g yarn
printf '[mysqld]\ncharacter-set-server = utf8mb4\ncollation-server = utf8mb4_unicode_ci\n[mysql]\ndefault-character-set = utf8mb4\n' \
	| sudo tee /etc/mysql/mariadb.conf.d/99-frappe.cnf >/dev/null
sudo service mariadb restart || sudo systemctl restart mariadb
sudo mysql -uroot -e "ALTER USER 'root'@'localhost' IDENTIFIED BY '${DB_ROOT_PASSWORD}'; FLUSH PRIVILEGES;" || true
sudo service redis-server start || true

pipx install frappe-bench || python3 -m pip install --user frappe-bench
export PATH="$HOME/.local/bin:$PATH"

bench init --frappe-branch version-15 "$BENCH"
cd "$BENCH"
bench get-app --branch version-15 payments
bench get-app --branch version-15 erpnext
bench get-app "$REPO/apps/collections_module" --soft-link 2>/dev/null || {
	ln -sfn "$REPO/apps/collections_module" apps/collections_module
	./env/bin/pip install -e apps/collections_module
	grep -qx collections_module sites/apps.txt || echo collections_module >> sites/apps.txt
}
bench new-site "$SITE" --db-root-password "$DB_ROOT_PASSWORD" --admin-password "$ADMIN_PASSWORD"
bench --site "$SITE" install-app erpnext
bench --site "$SITE" install-app collections_module
for key in developer_mode allow_tests mute_emails; do
	bench --site "$SITE" set-config -p "$key" "$(python3 -c "import json;print(json.dumps(json.load(open('$REPO/sites/site_config.dev.json'))['$key']))")"
done
bench --site "$SITE" execute erpnext.setup.utils.before_tests   # a test company (setup wizard)
bench use "$SITE"
echo "Bench ready at $BENCH, site $SITE. Start it with: cd $BENCH && bench start"
