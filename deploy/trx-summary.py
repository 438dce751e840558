"""Totals over every TRX file below a folder: one line 'N passed, N failed'; exit 1 on a failure or no tests."""
import pathlib
import sys
import xml.etree.ElementTree as ET

NS = {"t": "http://microsoft.com/schemas/VisualStudio/TeamTest/2010"}
passed = failed = skipped = 0
files = sorted(pathlib.Path(sys.argv[1]).rglob("*.trx"))
for trx in files:
    counters = ET.parse(trx).getroot().find("t:ResultSummary/t:Counters", NS)
    passed += int(counters.get("passed", 0))
    failed += int(counters.get("failed", 0)) + int(counters.get("error", 0)) + int(counters.get("timeout", 0)) + int(counters.get("aborted", 0))
    # The VSTest logger leaves a skipped test out of "executed" and out of "notExecuted" alike.
    skipped += int(counters.get("total", 0)) - int(counters.get("executed", 0))
if not files:
    failed += 1
print(f"{passed} passed, {failed} failed, {skipped} skipped")
sys.exit(1 if failed or passed == 0 else 0)
