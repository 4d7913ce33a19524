#!/usr/bin/env bash
# Installs Debian's Prometheus Alertmanager for the interop tests (AlertmanagerInteropTests).
# The tests start their own instance on a free port, so the packaged service must not stay running.
set -euo pipefail

readonly PACKAGE=prometheus-alertmanager
readonly BINARY=/usr/bin/prometheus-alertmanager

if command -v prometheus-alertmanager >/dev/null 2>&1 || [ -x "$BINARY" ]; then
    exit 0
fi

SUDO=()
if [ "$(id -u)" -ne 0 ]; then
    SUDO=(sudo)
fi
export DEBIAN_FRONTEND=noninteractive

# policy-rc.d answering 101 is Debian's documented way to keep maintainer scripts from starting
# services; only ours is removed afterwards, so a machine that already had one keeps it.
POLICY=/usr/sbin/policy-rc.d
OWN_POLICY=false
if [ ! -e "$POLICY" ]; then
    printf '#!/bin/sh\nexit 101\n' | "${SUDO[@]}" tee "$POLICY" >/dev/null
    "${SUDO[@]}" chmod 755 "$POLICY"
    OWN_POLICY=true
fi
cleanup() {
    if [ "$OWN_POLICY" = true ]; then
        "${SUDO[@]}" rm -f "$POLICY"
    fi
}
trap cleanup EXIT

install_package() {
    "${SUDO[@]}" apt-get install -y --no-install-recommends "$PACKAGE"
}

# A fresh CI image may have no package lists at all; a stale one fails with "Unable to locate package".
if ! install_package; then
    "${SUDO[@]}" apt-get update
    install_package
fi

# Belt and braces: a policy-rc.d that already existed may allow starts, and systemd may have enabled the unit.
if [ -d /run/systemd/system ]; then
    "${SUDO[@]}" systemctl disable --now "$PACKAGE" >/dev/null 2>&1 || true
elif [ -x "/etc/init.d/$PACKAGE" ]; then
    "${SUDO[@]}" "/etc/init.d/$PACKAGE" stop >/dev/null 2>&1 || true
fi

# Match on the executable itself rather than a process name, so nothing else is touched.
running_daemons() {
    local proc exe
    for proc in /proc/[0-9]*; do
        exe=$(readlink "$proc/exe" 2>/dev/null) || continue
        if [ "$exe" = "$BINARY" ]; then
            echo "${proc#/proc/}"
        fi
    done
}

pids=$(running_daemons)
if [ -n "$pids" ]; then
    # shellcheck disable=SC2086
    "${SUDO[@]}" kill $pids 2>/dev/null || true
    for _ in $(seq 1 50); do
        pids=$(running_daemons)
        [ -z "$pids" ] && break
        sleep 0.2
    done
    if [ -n "$pids" ]; then
        # shellcheck disable=SC2086
        "${SUDO[@]}" kill -9 $pids 2>/dev/null || true
    fi
fi

"$BINARY" --version >/dev/null 2>&1 || {
    echo "setup-alertmanager: $BINARY was installed but does not run" >&2
    exit 1
}
