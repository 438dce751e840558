// Parses an AsyncAPI document with the AsyncAPI parser (which also resolves every $ref and checks
// the document against the specification and its own rules), prints every diagnostic, and exits
// 1 when any is an error or a warning: hints and information (a newer AsyncAPI version exists) pass.
import { Parser, fromFile, DiagnosticSeverity } from '@asyncapi/parser';

const path = process.argv[2];
if (!path) {
  console.error('usage: node validate.mjs <asyncapi document>');
  process.exit(2);
}

const { document, diagnostics } = await fromFile(new Parser(), path).parse();
const failing = diagnostics.filter(d => d.severity === DiagnosticSeverity.Error || d.severity === DiagnosticSeverity.Warning);
for (const d of diagnostics) {
  const level = Object.keys(DiagnosticSeverity).find(k => DiagnosticSeverity[k] === d.severity) ?? d.severity;
  console.log(`${level} ${d.code} at ${d.path.join('.') || '(root)'}: ${d.message}`);
}
if (!document || failing.length > 0) {
  console.log(`${path}: INVALID (${failing.length} error(s) or warning(s))`);
  process.exit(1);
}
console.log(`${path}: valid AsyncAPI ${document.version()}, ${document.channels().length} channels, ${document.operations().length} operations, ${document.messages().length} messages`);
