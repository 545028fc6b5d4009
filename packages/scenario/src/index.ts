/**
 * The Nurtureflow scenario graph format: zod schemas and types, validation, editor compile /
 * decompile, JSON Schema export and format upgrades.
 */
export * from './common.ts';
export * from './graph.ts';
export * from './nodes/index.ts';
export * from './problems.ts';
export * from './product-line.ts';
export * from './validate/index.ts';
export * from './editor/index.ts';
export * from './json-schema.ts';
export * from './upgrade/index.ts';
export * from './diff.ts';
