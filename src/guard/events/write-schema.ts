import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { riskEventJsonSchemaText } from './json-schema.js';

// Regenerates src/guard/events/event.schema.json from the declarations:
// `npx tsc -p . && node dist/src/guard/events/write-schema.js`. Run from dist/src/guard/events/,
// so the source tree is four levels up.

export const schemaFilePath = fileURLToPath(new URL('../../../../src/guard/events/event.schema.json', import.meta.url));

if (process.argv[1] === fileURLToPath(import.meta.url)) writeFileSync(schemaFilePath, riskEventJsonSchemaText());
