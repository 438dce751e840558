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
# Other teams reference the contracts as a package: it must pack from a clean clone.
dotnet pack contracts/Platform.Contracts -c Release --no-build -nologo -v q -o "$root/artifacts/packages" || status=1

# One project at a time, each with a TRX file of its own name; inside a project, test classes
# run in parallel. The tests that stop a shared server run last, alone.
for project in tests/*/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  dotnet test "$project" -c Release --no-build -nologo --filter "Category!=ServerFaults" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" || status=1
done
dotnet test tests/Platform.Foundation.Tests -c Release --no-build -nologo --filter "Category=ServerFaults" \
  --logger "trx;LogFileName=Platform.Foundation.Tests.ServerFaults.trx" --results-directory "$results" || status=1

python3 "$here/trx-summary.py" "$results" || status=1
exit $status
