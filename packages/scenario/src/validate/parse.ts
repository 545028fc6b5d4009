import { z } from 'zod';
import { idSchema } from '../common.ts';
import { FORMAT, FORMAT_VERSION, graphSchema, type Graph } from '../graph.ts';
import { nodeSchema, type GraphNode } from '../nodes/index.ts';
import type { Problem } from '../problems.ts';
import type { BrokenNode, References, ValidationContext } from './context.ts';
import { depthProblem } from './depth.ts';
import { problem } from './problem.ts';
import { parseParams, schemaProblems } from './zod-issues.ts';

/** The result of reading a document: the context checks run on, or the reason nothing can be read. */
export type ReadResult = { ok: true; ctx: ValidationContext; problems: Problem[] } | { ok: false; problems: Problem[] };

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** SCN019 when the input is not a current-version scenario document, else null. */
export function formatProblem(input: unknown): Problem | null {
  if (!isRecord(input) || input.format !== FORMAT) {
    const tag = isRecord(input) && typeof input.format === 'string' ? ` (its format tag is "${input.format}")` : '';
    const tagJa = isRecord(input) && typeof input.format === 'string' ? `（形式タグ「${input.format}」）` : '';
    return problem(
      'SCN019', 'error', null, 'format',
      `This document is not a Nurtureflow scenario${tag}; it needs format "${FORMAT}".`,
      `この文書は Nurtureflow のシナリオではありません${tagJa}。形式「${FORMAT}」が必要です。`,
    );
  }
  const v = input.formatVersion;
  if (v === FORMAT_VERSION) return null;
  if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < FORMAT_VERSION) {
    return problem(
      'SCN019', 'error', null, 'formatVersion',
      `This scenario was saved in format version ${v}; upgrade it to version ${FORMAT_VERSION} before checking or running it.`,
      `このシナリオは形式バージョン ${v} で保存されています。確認や実行の前にバージョン ${FORMAT_VERSION} へ変換してください。`,
    );
  }
  if (typeof v === 'number' && Number.isInteger(v) && v > FORMAT_VERSION) {
    return problem(
      'SCN019', 'error', null, 'formatVersion',
      `This scenario uses format version ${v}, which is newer than this version of Nurtureflow understands (${FORMAT_VERSION}).`,
      `このシナリオの形式バージョン ${v} は、この Nurtureflow が扱えるバージョン（${FORMAT_VERSION}）より新しいものです。`,
    );
  }
  return problem(
    'SCN019', 'error', null, 'formatVersion',
    `This scenario has no valid format version; it needs formatVersion ${FORMAT_VERSION}.`,
    `このシナリオには正しい形式バージョンがありません。formatVersion ${FORMAT_VERSION} が必要です。`,
  );
}

const envelopeShape = graphSchema.omit({ nodes: true }).shape;
type EnvelopeKey = keyof typeof envelopeShape;

function readBroken(raw: unknown): BrokenNode {
  const kind = isRecord(raw) && typeof raw.kind === 'string' ? raw.kind : undefined;
  const outputs = isRecord(raw) && isRecord(raw.outputs) ? Object.entries(raw.outputs).filter((e): e is [string, string] => typeof e[1] === 'string') : [];
  return { kind, outputs: Object.fromEntries(outputs) };
}

function nameOf(raw: unknown): string | undefined {
  return isRecord(raw) && typeof raw.name === 'string' && raw.name !== '' ? raw.name : undefined;
}

/**
 * Read a document field by field and node by node, so a broken node or field is reported (SCN001)
 * without hiding what can be checked elsewhere.
 */
export function readDocument(input: unknown, refs: References = {}): ReadResult {
  const bad = formatProblem(input) ?? depthProblem(input);
  if (bad) return { ok: false, problems: [bad] };
  const record = input as Record<string, unknown>;
  const problems: Problem[] = [];

  const doc: Record<string, unknown> = {};
  for (const key of Object.keys(envelopeShape) as EnvelopeKey[]) {
    const r = envelopeShape[key].safeParse(record[key], parseParams);
    if (r.success) doc[key] = r.data;
    else problems.push(...schemaProblems(r.error.issues, null, undefined, [key]));
  }

  const nodes = new Map<string, GraphNode>();
  const broken = new Map<string, BrokenNode>();
  const rawNodes = record.nodes;
  if (!isRecord(rawNodes)) {
    // Without nodes there is no graph to check.
    problems.push(...schemaProblems(z.record(z.string(), z.unknown()).safeParse(rawNodes, parseParams).error?.issues ?? [], null, undefined, ['nodes']));
    return { ok: false, problems };
  }
  for (const [id, raw] of Object.entries(rawNodes)) {
    const idCheck = idSchema.safeParse(id, parseParams);
    if (!idCheck.success) problems.push(...schemaProblems(idCheck.error.issues, id, nameOf(raw), ['id']));
    const r = nodeSchema.safeParse(raw, parseParams);
    if (r.success && idCheck.success) nodes.set(id, r.data);
    else {
      if (!r.success) problems.push(...schemaProblems(r.error.issues, id, nameOf(raw)));
      broken.set(id, r.success ? { kind: r.data.kind, outputs: readBroken(r.data).outputs } : readBroken(raw));
    }
  }
  const ids = [...nodes.keys(), ...broken.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ok: true, ctx: { doc: doc as Partial<Omit<Graph, 'nodes'>>, nodes, broken, ids, refs }, problems };
}
