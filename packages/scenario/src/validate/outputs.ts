import { outputsOf } from '../nodes/index.ts';
import type { Problem } from '../problems.ts';
import type { ValidationContext } from './context.ts';
import { isTrigger } from './graph-walk.ts';
import { capitalize, nodeLabel, outputLabel, problem } from './problem.ts';

/**
 * SCN003 required output unconnected, SCN014 optional output unconnected (warning), SCN005 an
 * output the node does not offer (an error when it leads somewhere, a warning when it is empty),
 * SCN004 an output into a missing node, SCN015 an output into a trigger.
 */
export function checkOutputs(ctx: ValidationContext): Problem[] {
  const problems: Problem[] = [];
  const exists = (id: string) => ctx.nodes.has(id) || ctx.broken.has(id);
  for (const id of ctx.ids) {
    const node = ctx.nodes.get(id);
    if (!node) continue;
    const who = nodeLabel(id, node.name);
    const specs = outputsOf(node);
    const offered = new Set(specs.map((s) => s.name));
    for (const spec of specs) {
      const to = node.outputs[spec.name];
      const out = outputLabel(node.kind, spec.name);
      const field = `outputs.${spec.name}`;
      if (to === undefined || to === null) {
        if (spec.required) {
          problems.push(problem('SCN003', 'error', id, field,
            `Connect the ${out.en} output of ${who.en}: leads who take it have nowhere to go.`,
            `${who.ja}の${out.ja}出力を接続してください。この出力に進んだリードの行き先がありません。`));
        } else {
          problems.push(problem('SCN014', 'warning', id, field,
            `The ${out.en} output of ${who.en} is not connected: leads who take it leave the scenario there.`,
            `${who.ja}の${out.ja}出力が未接続です。ここに進んだリードはシナリオを終了します。`));
        }
      } else if (!exists(to)) {
        problems.push(problem('SCN004', 'error', id, field,
          `The ${out.en} output of ${who.en} leads to node "${to}", which does not exist.`,
          `${who.ja}の${out.ja}出力の接続先ノード「${to}」が存在しません。`));
      } else if (isTrigger(ctx, to)) {
        problems.push(problem('SCN015', 'error', id, field,
          `The ${out.en} output of ${who.en} leads into trigger "${to}"; a trigger only lets leads in. Connect it to another node, or use a move node to start the scenario again.`,
          `${who.ja}の${out.ja}出力がトリガー「${to}」につながっています。トリガーはリードの入口専用です。別のノードにつなぐか、移動ノードでシナリオに入り直してください。`));
      }
    }
    for (const [name, to] of Object.entries(node.outputs)) {
      if (offered.has(name)) continue;
      const field = `outputs.${name}`;
      if (to === null) {
        problems.push(problem('SCN005', 'warning', id, field,
          `${capitalize(who.en)} has no output called "${name}"; remove the leftover entry.`,
          `${who.ja}に「${name}」という出力はありません。残っている設定を削除してください。`));
      } else {
        problems.push(problem('SCN005', 'error', id, field,
          `${capitalize(who.en)} has no output called "${name}", so its connection to "${to}" is never taken; remove it or connect one of the node's outputs.`,
          `${who.ja}に「${name}」という出力はないため、「${to}」への接続が使われることはありません。削除するか、ノードの出力につなぎ直してください。`));
      }
    }
  }
  return problems;
}
