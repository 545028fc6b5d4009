import type { BranchNode } from '../nodes/index.ts';
import type { Problem } from '../problems.ts';
import { canonicalJson } from './canonical.ts';
import type { ValidationContext } from './context.ts';
import { capitalize, nodeLabel, problem } from './problem.ts';
import { alwaysMatches, neverMatches } from './satisfiable.ts';

/**
 * SCN011 duplicate or reserved case ids, SCN010 a case that can never match (a contradiction, or
 * the same condition as an earlier case), SCN017 a case after one that matches every lead.
 *
 * SCN017 is a warning: the journey still runs exactly as drawn (everyone takes the earlier case),
 * so nothing is lost; the later cases are dead weight, often a case switched off while testing.
 */
export function checkBranches(ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const own = ctx.doc.productLine ?? '';
  for (const id of ctx.ids) {
    const node = ctx.nodes.get(id);
    if (node?.kind !== 'branch') continue;
    problems.push(...checkBranch(id, node, own));
  }
  return problems;
}

function checkBranch(id: string, node: BranchNode, own: string): Problem[] {
  const problems: Problem[] = [];
  const who = nodeLabel(id, node.name);
  const ids = new Set<string>();
  const earlier = new Map<string, string>();
  let catchAll: string | undefined;
  node.cases.forEach((c, i) => {
    if (c.id === 'default') {
      problems.push(problem('SCN011', 'error', id, `cases.${i}.id`,
        `In ${who.en}, a case cannot be called "default": that name belongs to the output for leads no case matches.`,
        `${who.ja}のケース名に「default」は使えません。どのケースにも当てはまらないリードの出力名として予約されています。`));
    } else if (ids.has(c.id)) {
      problems.push(problem('SCN011', 'error', id, `cases.${i}.id`,
        `${capitalize(who.en)} has two cases with the id "${c.id}"; give each case its own id.`,
        `${who.ja}に id が「${c.id}」のケースが複数あります。ケースごとに別の id を付けてください。`));
    }
    ids.add(c.id);

    const field = `cases.${i}.condition`;
    if (catchAll !== undefined) {
      problems.push(problem('SCN017', 'warning', id, field,
        `Case "${c.id}" of ${who.en} is never tried: case "${catchAll}" before it matches every lead.`,
        `${who.ja}のケース「${c.id}」は判定されません。前にあるケース「${catchAll}」がすべてのリードに当てはまるためです。`));
      return;
    }
    const never = neverMatches(c.condition, own);
    if (never) {
      problems.push(problem('SCN010', 'error', id, field,
        `Case "${c.id}" of ${who.en} can never match: ${never.en}.`,
        `${who.ja}のケース「${c.id}」は決して当てはまりません。${never.ja}。`));
      return;
    }
    const key = canonicalJson(c.condition);
    const same = earlier.get(key);
    if (same !== undefined) {
      problems.push(problem('SCN010', 'error', id, field,
        `Case "${c.id}" of ${who.en} has the same condition as case "${same}", which is tried first, so it never matches.`,
        `${who.ja}のケース「${c.id}」はケース「${same}」と同じ条件で、先に「${same}」が判定されるため当てはまることがありません。`));
      return;
    }
    earlier.set(key, c.id);
    if (alwaysMatches(c.condition, own)) catchAll = c.id;
  });
  return problems;
}
