// Regenerates the committed JSON Schema from the zod schema: `npx tsx packages/scenario/scripts/write-json-schema.ts`.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { graphJsonSchemaText, JSON_SCHEMA_FILE } from '../src/json-schema.ts';

const target = join(dirname(fileURLToPath(import.meta.url)), '..', JSON_SCHEMA_FILE);
mkdirSync(dirname(target), { recursive: true });
writeFileSync(target, graphJsonSchemaText());
console.log(`wrote ${target}`);
