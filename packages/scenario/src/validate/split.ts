import type { Problem } from '../problems.ts';
import type { ValidationContext } from './context.ts';
import { capitalize, nodeLabel, problem } from './problem.ts';

/** SCN018 fewer than two variants, SCN011 duplicate or reserved variant ids, SCN012 zero weights. */
export function checkSplits(ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  for (const id of ctx.ids) {
    const node = ctx.nodes.get(id);
    if (node?.kind !== 'split') continue;
    const who = nodeLabel(id, node.name);
    const { variants } = node;
    if (variants.length < 2) {
      problems.push(problem('SCN018', 'error', id, 'variants',
        `${capitalize(who.en)} has ${variants.length === 0 ? 'no variants' : 'only one variant'}; a split needs at least two (for example A and B, or a variant and a holdout).`,
        `${who.ja}のバリエーションが${variants.length === 0 ? 'ありません' : '1つしかありません'}。分岐には2つ以上必要です（例: AとB、または配信とホールドアウト）。`));
    }
    const ids = new Set<string>();
    variants.forEach((v, i) => {
      if (v.id === 'default') {
        problems.push(problem('SCN011', 'error', id, `variants.${i}.id`,
          `In ${who.en}, a variant cannot be called "default"; the name is reserved.`,
          `${who.ja}のバリエーション名に「default」は使えません（予約語です）。`));
      } else if (ids.has(v.id)) {
        problems.push(problem('SCN011', 'error', id, `variants.${i}.id`,
          `${capitalize(who.en)} has two variants with the id "${v.id}"; give each variant its own id.`,
          `${who.ja}に id が「${v.id}」のバリエーションが複数あります。バリエーションごとに別の id を付けてください。`));
      }
      ids.add(v.id);
    });
    if (variants.length > 0 && variants.every((v) => v.weight === 0)) {
      problems.push(problem('SCN012', 'error', id, 'variants',
        `Every variant of ${who.en} has weight 0, so leads cannot be split; give at least one variant a weight.`,
        `${who.ja}のすべてのバリエーションの比率が 0 のため、リードを振り分けられません。少なくとも1つに比率を設定してください。`));
      continue;
    }
    variants.forEach((v, i) => {
      if (v.weight !== 0) return;
      problems.push(problem('SCN012', 'warning', id, `variants.${i}.weight`,
        `Variant "${v.id}" of ${who.en} has weight 0: no lead will get it.`,
        `${who.ja}のバリエーション「${v.id}」の比率が 0 のため、このバリエーションに進むリードはいません。`));
    });
  }
  return problems;
}
