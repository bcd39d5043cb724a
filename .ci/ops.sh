#!/usr/bin/env bash
# CI pass: the Prometheus alerting rules (src/main/prometheus/) are valid and behave as their unit tests say
# (src/test/prometheus/). Uses promtool from PATH, else the one in Debian's `prometheus` package, unpacked under
# target/ (no service is installed or started).
set -euo pipefail
cd "$(dirname "$0")/.."

PROMTOOL=$(command -v promtool || true)
if [ -z "$PROMTOOL" ]; then
    dir=target/promtool
    if [ ! -x "$dir/usr/bin/promtool" ]; then
        echo "promtool not found; unpacking it from Debian's prometheus package"
        mkdir -p "$dir"
        (cd "$dir" && { apt-get download prometheus >/dev/null 2>&1 \
            || { apt-get update -qq && apt-get download prometheus; }; } && dpkg-deb -x prometheus_*.deb .)
    fi
    PROMTOOL="$PWD/$dir/usr/bin/promtool"
fi
"$PROMTOOL" --version 2>&1 | head -n1
"$PROMTOOL" check rules src/main/prometheus/patrol-alerts.yml
(cd src/test/prometheus && "$PROMTOOL" test rules patrol-alerts-test.yml)
