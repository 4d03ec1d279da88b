#!/usr/bin/env bash
# Measures the operator's targets and prints them: time from an ApiGateway's creation until all its
# children are written (and until Ready), against the in-memory API server with an instant kubelet,
# the resident memory of the idle operator executable (published as Dockerfile.operator does), and the
# configuration sync through real proxies: kubectl apply of an Ingress -> served by every proxy (median, p99),
# 2,000 Ingresses over 500 Services -> first sync, one more change, and the operator's memory in that state.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

figures="${TMPDIR:-/tmp}/tollgate-operator-figures.txt"
rm -f "$figures"
status=0
dotnet test tests/Gateway.Operator.Tests -c Release \
    --filter "FullyQualifiedName~EndToEnd.FiguresTests|FullyQualifiedName~EndToEnd.SyncFiguresTests|FullyQualifiedName~GatewayLifecycleTests.A_new_gateway" \
    --logger "console;verbosity=minimal" || status=$?
echo "operator figures:"
sed 's/^/  /' "$figures" 2>/dev/null || echo "  (none recorded)"
exit "$status"
