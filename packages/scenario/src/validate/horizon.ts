import { durationUpperBoundDays, type Duration } from '../common.ts';
import type { GraphNode } from '../nodes/index.ts';
import type { Problem } from '../problems.ts';
import type { ValidationContext } from './context.ts';
import { nodeLabel, problem } from './problem.ts';

// The longest a lead can be held at a node, and the field to blame when that is too long.
function longestHold(node: GraphNode): { days: number; field: string }[] {
  switch (node.kind) {
    case 'wait':
      return node.wait.mode === 'for' ? [{ days: durationUpperBoundDays(node.wait.duration), field: 'wait.duration' }] : [];
    case 'waitForEvent':
      return [{ days: durationUpperBoundDays(node.timeout), field: 'timeout' }];
    case 'handoff':
      return node.responseTimeout ? [{ days: durationUpperBoundDays(node.responseTimeout), field: 'responseTimeout' }] : [];
    case 'callTask': {
      // Every attempt may be retried after the interval, and the last one waits as long for its outcome.
      const retries: Duration = { amount: node.retryInterval.amount * node.maxAttempts, unit: node.retryInterval.unit };
      const due = durationUpperBoundDays(node.dueIn);
      return [
        { days: due, field: 'dueIn' },
        { days: due + durationUpperBoundDays(retries), field: 'retryInterval' },
      ];
    }
    default:
      return [];
  }
}

function formatDays(days: number): string {
  return Number.isInteger(days) ? String(days) : days.toFixed(1);
}

/** SCN013: a node can hold a lead longer than the scenario's horizon (settings.horizonDays). */
export function checkHorizon(ctx: ValidationContext): Problem[] {
  const horizon = ctx.doc.settings?.horizonDays;
  if (horizon === undefined) return [];
  const problems: Problem[] = [];
  for (const id of ctx.ids) {
    const node = ctx.nodes.get(id);
    if (!node) continue;
    const over = longestHold(node).find((h) => h.days > horizon);
    if (!over) continue;
    const who = nodeLabel(id, node.name);
    const days = formatDays(over.days);
    problems.push(problem('SCN013', 'error', id, over.field,
      `The wait at ${who.en} can last up to ${days} days, longer than the scenario's horizon of ${horizon} days. Shorten it, or raise the horizon in the settings.`,
      `${who.ja}の待ち時間は最大 ${days} 日で、シナリオの計画期間（${horizon} 日）を超えています。短くするか、設定で計画期間を延ばしてください。`));
  }
  return problems;
}
