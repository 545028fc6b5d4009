import type { Problem } from '../problems.ts';
import type { ValidationContext } from './context.ts';
import { problem } from './problem.ts';

/** SCN011: two exit goals with the same id. */
export function checkGoals(ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const ids = new Set<string>();
  (ctx.doc.goals ?? []).forEach((g, i) => {
    if (ids.has(g.id)) {
      problems.push(problem('SCN011', 'error', null, `goals.${i}.id`,
        `The scenario has two exit goals with the id "${g.id}"; give each goal its own id.`,
        `シナリオに id が「${g.id}」の終了ゴールが複数あります。ゴールごとに別の id を付けてください。`));
    }
    ids.add(g.id);
  });
  return problems;
}
