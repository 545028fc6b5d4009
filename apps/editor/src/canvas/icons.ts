import type { NodeKind } from '@nurtureflow/scenario';

/** A glyph per kind, so kinds are told apart at a glance (also in the palette and minimap legend). */
export const KIND_ICONS: Record<NodeKind, string> = {
  trigger: '⚡',
  email: '✉',
  directMail: '📮',
  webhook: '🔗',
  callTask: '☎',
  handoff: '🤝',
  wait: '⏱',
  waitForEvent: '⏳',
  branch: '⑂',
  split: '⚖',
  score: '★',
  update: '✎',
  move: '↪',
  goal: '🏁',
  exit: '⏹',
};
