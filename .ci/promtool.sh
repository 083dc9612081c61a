#!/bin/sh
# Check and unit-test the alert rules with promtool; skip with a message
# when promtool is not installed (Debian: apt-get install prometheus).
set -eu
cd "$(dirname "$0")/../deploy/prometheus"
if ! command -v promtool >/dev/null 2>&1; then
	echo "promtool: not installed; alert rule checks skipped (apt-get install prometheus)"
	exit 0
fi
promtool check rules alerts.yml
# One test file per rule; every rule must have one.
for rule in $(sed -n 's/^ *- alert: *//p' alerts.yml); do
	if ! grep -qs "alertname: $rule\$" tests/*.yml; then
		echo "promtool: no test in tests/ for alert $rule"
		exit 1
	fi
done
promtool test rules tests/*.yml
