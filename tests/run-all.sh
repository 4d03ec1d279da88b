#!/usr/bin/env bash
# Runs the whole test suite on a fresh Debian machine: installs the servers the
# integration tests start (PostgreSQL, Redis, nginx, wrk, Python) when missing, then runs
# `dotnet test` over the solution and prints a one-line summary of the results.
set -euo pipefail

have_postgres_server() {
    local bindir
    if command -v pg_config >/dev/null; then
        bindir="$(pg_config --bindir 2>/dev/null || true)"
        [[ -x "$bindir/initdb" && -x "$bindir/pg_ctl" ]] && return 0
    fi
    compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null
}

# Debian keeps daemons in sbin, which a non-root PATH may lack.
have_program() {
    command -v "$1" >/dev/null || [[ -x "/usr/sbin/$1" || -x "/usr/bin/$1" ]]
}

missing_packages() {
    have_postgres_server || echo postgresql
    have_program redis-server || echo redis-server
    have_program nginx || echo nginx
    have_program wrk || echo wrk
    have_program python3 || echo python3
}

install_missing_packages() {
    local packages
    packages="$(missing_packages | xargs)"
    [[ -z "$packages" ]] && return 0

    local sudo=()
    if [[ "$(id -u)" != 0 ]]; then
        if ! command -v sudo >/dev/null; then
            echo "run-all: missing $packages and not root; install them with: apt-get install $packages" >&2
            exit 1
        fi
        sudo=(sudo -n)
    fi
    echo "run-all: installing $packages"
    "${sudo[@]}" apt-get update -qq
    # shellcheck disable=SC2086 # the package list is meant to split into words
    "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
        apt-get install -y -qq --no-install-recommends $packages >/dev/null
}

# Adds up the per-project results, whichever format this SDK's test runner prints:
#   "Passed!  - Failed: 0, Passed: 12, Skipped: 0, Total: 12, ..."  (VSTest, minimal verbosity)
#   "Total tests: 12" followed by "Passed: 12" / "Failed: 1" lines  (VSTest, normal verbosity)
#   "Test summary: total: 12, failed: 0, succeeded: 12, skipped: 0" (Microsoft.Testing.Platform)
summarize() {
    sed -E 's/\x1b\[[0-9;?]*[A-Za-z]//g' "$1" | awk '
        function after(label, text,    at, rest) {
            at = index(text, label)
            if (at == 0) return 0
            rest = substr(text, at + length(label))
            sub(/^ +/, "", rest)
            return rest + 0
        }
        /^(Passed|Failed)! +- +Failed: +[0-9]+, +Passed: +[0-9]+/ {
            line_seen = 1
            line_passed += after("Passed:", $0); line_failed += after("Failed:", $0); line_skipped += after("Skipped:", $0)
        }
        /Test summary: total: [0-9]+/ {
            mtp_seen = 1
            mtp_passed += after("succeeded:", $0); mtp_failed += after("failed:", $0); mtp_skipped += after("skipped:", $0)
        }
        /^ *Passed: +[0-9]+ *$/  { block_passed += after("Passed:", $0) }
        /^ *Failed: +[0-9]+ *$/  { block_failed += after("Failed:", $0) }
        /^ *Skipped: +[0-9]+ *$/ { block_skipped += after("Skipped:", $0) }
        END {
            if (line_seen)     printf "tests: %d passed, %d failed, %d skipped\n", line_passed, line_failed, line_skipped
            else if (mtp_seen) printf "tests: %d passed, %d failed, %d skipped\n", mtp_passed, mtp_failed, mtp_skipped
            else               printf "tests: %d passed, %d failed, %d skipped\n", block_passed, block_failed, block_skipped
        }'
}

main() {
    cd "$(dirname "${BASH_SOURCE[0]}")/.."
    install_missing_packages

    export DOTNET_NOLOGO=1 DOTNET_CLI_TELEMETRY_OPTOUT=1
    local status
    test_log="$(mktemp)"
    trap 'rm -f "$test_log"' EXIT

    set +e
    dotnet test Gateway.sln -c Release --logger "console;verbosity=normal" 2>&1 | tee "$test_log"
    status=${PIPESTATUS[0]}
    set -e

    echo
    summarize "$test_log"
    exit "$status"
}

# Sourcing the script (e.g. to check summarize on a saved log) defines the functions only.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    main "$@"
fi
