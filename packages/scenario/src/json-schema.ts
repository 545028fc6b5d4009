import { z } from 'zod';
import { conditionSchema, durationSchema, fieldTestSchema, predicateSchema } from './common.ts';
import { FORMAT_VERSION, graphSchema } from './graph.ts';
import { nodeSchema } from './nodes/index.ts';

/** Where the committed schema lives, relative to the package root. */
export const JSON_SCHEMA_FILE = `schema/scenario-v${FORMAT_VERSION}.schema.json`;

/** The JSON Schema of a scenario document as written (defaults optional), for editors, the API docs and other languages. */
export function graphJsonSchema(): Record<string, unknown> {
  // Shared parts get names in $defs instead of being repeated, and the recursive condition needs one.
  const names = z.registry<{ id: string }>();
  names.add(conditionSchema, { id: 'Condition' });
  names.add(predicateSchema, { id: 'Predicate' });
  names.add(fieldTestSchema, { id: 'FieldTest' });
  names.add(durationSchema, { id: 'Duration' });
  names.add(nodeSchema, { id: 'Node' });
  const schema = z.toJSONSchema(graphSchema, { io: 'input', metadata: names });
  const { $schema, ...rest } = schema;
  return {
    $schema,
    title: `Nurtureflow scenario, format version ${FORMAT_VERSION}`,
    description: 'A lead-nurturing scenario graph: triggers, messages, waits, branches and their connections. Generated from the zod schema; do not edit by hand.',
    ...rest,
  };
}

/** The committed file's exact text: two-space JSON with a final newline. */
export function graphJsonSchemaText(): string {
  return `${JSON.stringify(graphJsonSchema(), null, 2)}\n`;
}
