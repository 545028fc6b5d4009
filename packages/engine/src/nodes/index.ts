import type { NodeKind, NodeOfKind } from '@nurtureflow/scenario';
import { branch } from './branch.ts';
import { callTask } from './call-task.ts';
import { directMail } from './direct-mail.ts';
import { email } from './email.ts';
import { exit } from './exit.ts';
import { goal } from './goal.ts';
import { handoff } from './handoff.ts';
import type { NodeHandler } from './handler.ts';
import { move } from './move.ts';
import { score } from './score.ts';
import { split } from './split.ts';
import { trigger } from './trigger.ts';
import { update } from './update.ts';
import { wait } from './wait.ts';
import { waitForEvent } from './wait-for-event.ts';
import { webhook } from './webhook.ts';

/** The engine's behaviour for every node kind, registered once; a kind missing here does not compile. */
export const HANDLERS: { readonly [K in NodeKind]: NodeHandler<NodeOfKind<K>> } = {
  trigger,
  email,
  callTask,
  handoff,
  directMail,
  webhook,
  wait,
  waitForEvent,
  branch,
  split,
  score,
  update,
  move,
  goal,
  exit,
};
