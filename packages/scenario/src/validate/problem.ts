import type { Bilingual, Problem, ProblemCode } from '../problems.ts';

/** Build one problem; `en` and `ja` are whole sentences. */
export function problem(
  code: ProblemCode,
  severity: Problem['severity'],
  nodeId: string | null,
  field: string,
  en: string,
  ja: string,
): Problem {
  return { code, severity, nodeId, field, message: { en, ja } };
}

/** How a node is named in a message: by its canvas label when it has one, always with its id. */
export function nodeLabel(id: string, name?: string): Bilingual {
  return name ? { en: `node "${name}" (${id})`, ja: `ノード「${name}」(${id})` } : { en: `node "${id}"`, ja: `ノード「${id}」` };
}

/** The sentence-initial form of an English phrase. */
export function capitalize(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

const FIXED_OUTPUTS: Record<string, Bilingual> = {
  next: { en: 'next', ja: '次へ' },
  sent: { en: 'sent', ja: '送信済み' },
  skipped: { en: 'skipped', ja: 'スキップ' },
  connected: { en: 'connected', ja: '通話できた' },
  noAnswer: { en: 'no answer', ja: '不在' },
  appointment: { en: 'appointment', ja: 'アポイント獲得' },
  refused: { en: 'refused', ja: '拒否' },
  accepted: { en: 'accepted', ja: '受理' },
  returned: { en: 'returned', ja: '差し戻し' },
  timeout: { en: 'timeout', ja: 'タイムアウト' },
  event: { en: 'event', ja: 'イベント発生' },
  default: { en: 'default', ja: 'その他' },
};

/** The name of an output as a marketer sees it on the canvas. */
export function outputLabel(kind: string | undefined, output: string): Bilingual {
  const fixed = kind === 'split' || (kind === 'branch' && output !== 'default') ? undefined : FIXED_OUTPUTS[output];
  return fixed ? { en: `"${fixed.en}"`, ja: `「${fixed.ja}」` } : { en: `"${output}"`, ja: `「${output}」` };
}

/** Join a path into the dotted form problems use (`cases.0.condition`). */
export function dotted(path: readonly PropertyKey[]): string {
  return path.map((p) => String(p)).join('.');
}

function compareFields(a: string, b: string): number {
  const as = a.split('.');
  const bs = b.split('.');
  for (let i = 0; i < Math.min(as.length, bs.length); i++) {
    const x = as[i] as string;
    const y = bs[i] as string;
    if (x === y) continue;
    const nx = /^\d+$/.test(x) ? Number(x) : NaN;
    const ny = /^\d+$/.test(y) ? Number(y) : NaN;
    if (!Number.isNaN(nx) && !Number.isNaN(ny)) return nx - ny;
    return x < y ? -1 : 1;
  }
  return as.length - bs.length;
}

function compareStrings(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Problems in a fixed order, whatever order the checks ran in: the scenario's own first, then by
 * node id (code-unit order, independent of locale), then code, then field (numeric segments as
 * numbers, so `cases.2` precedes `cases.10`).
 */
export function sortProblems(problems: readonly Problem[]): Problem[] {
  return [...problems].sort((a, b) => {
    if (a.nodeId !== b.nodeId) {
      if (a.nodeId === null) return -1;
      if (b.nodeId === null) return 1;
      return compareStrings(a.nodeId, b.nodeId);
    }
    return compareStrings(a.code, b.code) || compareFields(a.field, b.field) || compareStrings(a.message.en, b.message.en);
  });
}
