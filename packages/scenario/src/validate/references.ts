import type { Condition, Predicate } from '../common.ts';
import type { GraphNode } from '../nodes/index.ts';
import type { Problem } from '../problems.ts';
import type { ValidationContext } from './context.ts';
import { capitalize, nodeLabel, problem } from './problem.ts';

/** Visit every predicate of a condition with its dotted path. */
export function eachPredicate(condition: Condition, path: string, visit: (p: Predicate, path: string) => void): void {
  if ('all' in condition) condition.all.forEach((c, i) => eachPredicate(c, `${path}.all.${i}`, visit));
  else if ('any' in condition) condition.any.forEach((c, i) => eachPredicate(c, `${path}.any.${i}`, visit));
  else if ('not' in condition) eachPredicate(condition.not, `${path}.not`, visit);
  else visit(condition, path);
}

/** Every condition a node holds, with its field path. */
export function conditionsOf(node: GraphNode): { condition: Condition; field: string }[] {
  switch (node.kind) {
    case 'branch':
      return node.cases.map((c, i) => ({ condition: c.condition, field: `cases.${i}.condition` }));
    case 'trigger':
      if (node.trigger.type === 'segment') return [{ condition: node.trigger.condition, field: 'trigger.condition' }];
      if (node.trigger.type === 'schedule' && node.trigger.condition) return [{ condition: node.trigger.condition, field: 'trigger.condition' }];
      return [];
    default:
      return [];
  }
}

/** Product lines a node names, with their field paths. */
function productLinesOf(node: GraphNode): { productLine: string; field: string }[] {
  const found: { productLine: string; field: string }[] = [];
  for (const { condition, field } of conditionsOf(node)) {
    eachPredicate(condition, field, (p, path) => {
      if ('productLine' in p && p.productLine !== undefined) found.push({ productLine: p.productLine, field: `${path}.productLine` });
    });
  }
  if (node.kind === 'trigger' && (node.trigger.type === 'score' || node.trigger.type === 'rank') && node.trigger.productLine !== undefined) {
    found.push({ productLine: node.trigger.productLine, field: 'trigger.productLine' });
  }
  if (node.kind === 'move' && node.productLine !== undefined) found.push({ productLine: node.productLine, field: 'productLine' });
  return found;
}

function unknownProductLine(nodeId: string | null, name: string | undefined, field: string, productLine: string): Problem {
  const where = nodeId === null ? { en: 'the scenario', ja: 'シナリオ' } : nodeLabel(nodeId, name);
  return problem('SCN009', 'error', nodeId, field,
    `Product line "${productLine}" used in ${where.en} (${field}) does not exist.`,
    `${where.ja}で指定されている商材「${productLine}」（${field}）は存在しません。`);
}

/** SCN008 unknown templates, SCN009 unknown product lines, SCN016 unknown scenarios to move to; each only when its list is given. */
export function checkReferences(ctx: ValidationContext): Problem[] {
  const { templates, productLines, scenarios } = ctx.refs;
  const problems: Problem[] = [];
  const knownTemplates = templates ? new Set(templates) : undefined;
  const knownLines = productLines ? new Set(productLines) : undefined;
  const knownScenarios = scenarios ? new Set(scenarios.map((s) => `${s.productLine}\u0000${s.scenarioId}`)) : undefined;

  if (knownLines) {
    const { productLine, entry, goals } = ctx.doc;
    if (productLine !== undefined && !knownLines.has(productLine)) problems.push(unknownProductLine(null, undefined, 'productLine', productLine));
    const docConditions = [
      ...(entry?.audience ? [{ condition: entry.audience, field: 'entry.audience' }] : []),
      ...(goals ?? []).map((g, i) => ({ condition: g.condition, field: `goals.${i}.condition` })),
    ];
    for (const { condition, field } of docConditions) {
      eachPredicate(condition, field, (p, path) => {
        if ('productLine' in p && p.productLine !== undefined && !knownLines.has(p.productLine)) {
          problems.push(unknownProductLine(null, undefined, `${path}.productLine`, p.productLine));
        }
      });
    }
  }

  for (const id of ctx.ids) {
    const node = ctx.nodes.get(id);
    if (!node) continue;
    const who = nodeLabel(id, node.name);
    if (knownTemplates && (node.kind === 'email' || node.kind === 'directMail') && !knownTemplates.has(node.template)) {
      problems.push(problem('SCN008', 'error', id, 'template',
        `${node.kind === 'email' ? 'E-mail' : 'Direct mail'} template "${node.template}" used by ${who.en} does not exist.`,
        `${who.ja}で使う${node.kind === 'email' ? 'メール' : 'DM'}テンプレート「${node.template}」が見つかりません。`));
    }
    if (knownLines) {
      for (const { productLine, field } of productLinesOf(node)) {
        if (!knownLines.has(productLine)) problems.push(unknownProductLine(id, node.name, field, productLine));
      }
    }
    if (knownScenarios && node.kind === 'move') {
      const productLine = node.productLine ?? ctx.doc.productLine;
      if (productLine !== undefined && !knownScenarios.has(`${productLine}\u0000${node.scenarioId}`)) {
        problems.push(problem('SCN016', 'error', id, 'scenarioId',
          `${capitalize(who.en)} moves leads to scenario "${node.scenarioId}" of product line "${productLine}", which does not exist.`,
          `${who.ja}の移動先シナリオ「${node.scenarioId}」（商材「${productLine}」）が存在しません。`));
      }
    }
  }
  return problems;
}
