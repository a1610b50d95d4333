// Fails when the example flow works around the generated types: a non-null
// assertion (x!), a cast (x as T, <T>x) or a `??` default. Fields the server
// always sends must be typed as such by the document, not patched here.
//
//   node scripts/check-style.mjs src/flow.ts
import fs from "node:fs";
import ts from "typescript";

let problems = 0;
for (const file of process.argv.slice(2)) {
  const source = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const report = (node, what) => {
    const { line, character } = source.getLineAndCharacterOfPosition(node.getStart());
    console.error(`${file}:${line + 1}:${character + 1}: ${what}: ${node.getText().slice(0, 60)}`);
    problems++;
  };
  const visit = (node) => {
    if (ts.isNonNullExpression(node)) report(node, "non-null assertion");
    if (ts.isAsExpression(node) || ts.isTypeAssertionExpression(node)) report(node, "cast");
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken) report(node, "?? default");
    ts.forEachChild(node, visit);
  };
  visit(source);
}
if (problems > 0) {
  process.exit(1);
}
