import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { graphJsonSchema, graphJsonSchemaText, JSON_SCHEMA_FILE } from './json-schema.ts';

describe('graphJsonSchema', () => {
  it('the committed schema file is up to date (regenerate with `npx tsx packages/scenario/scripts/write-json-schema.ts`)', () => {
    const committed = readFileSync(new URL(`../${JSON_SCHEMA_FILE}`, import.meta.url), 'utf8');
    expect(committed).toBe(graphJsonSchemaText());
  });

  it('describes the document as written: fields with defaults are optional', () => {
    const schema = graphJsonSchema() as { required: string[]; properties: Record<string, unknown> };
    expect(schema.required.sort()).toEqual(['format', 'formatVersion', 'name', 'nodes', 'productLine', 'scenarioId', 'version']);
    expect(Object.keys(schema.properties)).toContain('settings');
  });

  it('names the recursive condition and each node kind in $defs', () => {
    const schema = graphJsonSchema() as { $defs: Record<string, { anyOf?: unknown[]; oneOf?: unknown[] }> };
    expect(Object.keys(schema.$defs)).toEqual(expect.arrayContaining(['Condition', 'Node', 'Duration']));
    expect(JSON.stringify(schema.$defs['Condition'])).toContain('#/$defs/Condition');
    expect((schema.$defs['Node']?.oneOf ?? schema.$defs['Node']?.anyOf ?? []).length).toBe(15);
  });
});
