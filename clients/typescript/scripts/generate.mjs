// Generates src/schema.d.ts from the service's OpenAPI document:
//
//   node scripts/generate.mjs <document URL or file> <output file>
//
// openapi-typescript as its CLI would run it, with one change: a file
// (`format: binary`) is a Blob, not a string, so that an upload needs no cast.
import fs from "node:fs";
import { pathToFileURL } from "node:url";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";

const [source, output] = process.argv.slice(2);
if (!source || !output) {
  console.error("usage: node scripts/generate.mjs <document URL or file> <output file>");
  process.exit(2);
}
const url = /^https?:\/\//.test(source) ? new URL(source) : pathToFileURL(source);
const blob = ts.factory.createTypeReferenceNode(ts.factory.createIdentifier("Blob"));
const ast = await openapiTS(url, {
  transform(schemaObject) {
    if (schemaObject.format === "binary") {
      return blob;
    }
    return undefined;
  },
});
fs.writeFileSync(output, astToString(ast));
