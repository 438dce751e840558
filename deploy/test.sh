#!/usr/bin/env bash
# Runs every test: starts the servers, builds once, runs all test projects, then the tests that
# stop a shared server on their own (they would break tests running beside them), and prints
# the totals read from the TRX results as one line: "N passed, N failed".
set -uo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
root="$(dirname "$here")"
cd "$root"

bash "$here/servers.sh" || { echo "0 passed, 1 failed"; exit 1; }
source "$here/env.sh"

results="$root/TestResults"
rm -rf "$results"
mkdir -p "$results"

status=0
dotnet build Platform.sln -c Release -nologo -v q || { echo "0 passed, 1 failed"; exit 1; }
dotnet test Platform.sln -c Release --no-build -nologo --filter "Category!=ServerFaults" \
  --logger "trx" --results-directory "$results/main" -- xUnit.MaxParallelThreads=2 || status=1
dotnet test tests/Platform.Foundation.Tests -c Release --no-build -nologo --filter "Category=ServerFaults" \
  --logger "trx" --results-directory "$results/faults" || status=1

python3 "$here/trx-summary.py" "$results" || status=1
exit $status
