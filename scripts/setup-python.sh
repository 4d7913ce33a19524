#!/usr/bin/env bash
# Creates the virtualenvs of the interoperability tests (Tests/Interop) with the real
# OpenTelemetry Python SDK from PyPI. Idempotent; scripts/test runs it before the tests.
#   .venv       the SDK with the stock OTLP/HTTP exporter (protobuf, the SDK's default)
#   .venv-json  the SDK with the separate OTLP/HTTP JSON exporter (its releases pin other
#               versions of shared packages, so it cannot share the first environment)
set -euo pipefail
cd "$(dirname "$0")/.."
install() {
  local venv=$1; shift
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv"
  "$venv/bin/python" -m pip install --quiet --disable-pip-version-check "$@"
}
install .venv "opentelemetry-sdk==1.45.2" "opentelemetry-exporter-otlp-proto-http==1.45.2"
install .venv-json "opentelemetry-exporter-otlp-json-http==0.66b1"
