/**
 * Writes dist/openapi-schemas.json: every exported type of the contract (src/index.ts) as an
 * OpenAPI 3.1 schema, its doc comments as descriptions. The API's OpenAPI document is built from
 * it, so the docs describe the very types the controllers return and the web client reads.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { createGenerator } from 'ts-json-schema-generator';

const { definitions } = createGenerator({
  path: 'src/index.ts',
  tsconfig: 'tsconfig.json',
  type: '*',
  expose: 'export',
  jsDoc: 'extended',
  skipTypeCheck: true, // tsc has just checked the same files
}).createSchema('*');

mkdirSync('dist', { recursive: true });
writeFileSync('dist/openapi-schemas.json', `${JSON.stringify(toOpenApi(definitions), null, 2)}\n`);

/**
 * JSON Schema draft-07 (the generator's) to OpenAPI 3.1's 2020-12: references point into
 * `components/schemas`, and a tuple's `items: [...]` becomes `prefixItems`.
 */
function toOpenApi(node) {
  if (Array.isArray(node)) return node.map(toOpenApi);
  if (node === null || typeof node !== 'object') return node;
  const out = {};
  for (const [key, value] of Object.entries(node)) {
    if (key === '$ref') out.$ref = value.replace('#/definitions/', '#/components/schemas/');
    else if (key === 'items' && Array.isArray(value)) {
      out.prefixItems = toOpenApi(value);
      out.items = false;
    } else out[key] = toOpenApi(value);
  }
  return out;
}
