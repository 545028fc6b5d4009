import type { Routes } from '../app.ts';
import { authRoutes } from './auth.ts';
import { userRoutes } from './users.ts';
import { tokenRoutes } from './tokens.ts';
import { productLineRoutes } from './product-lines.ts';
import { scenarioRoutes } from './scenarios.ts';
import { scenarioCountRoutes } from './scenario-counts.ts';
import { simulateRoutes } from './simulate.ts';
import { leadRoutes } from './leads.ts';
import { enrollmentRoutes } from './enrollments.ts';
import { eventRoutes } from './events.ts';
import { outboxRoutes } from './outbox.ts';
import { templateRoutes } from './templates.ts';
import { mailboxRoutes } from './mailbox.ts';
import { trackingRoutes } from './tracking.ts';
import { webhookRoutes } from './webhooks.ts';
import { handoffRoutes } from './handoffs.ts';
import { callTaskRoutes } from './call-tasks.ts';
import { salesRoutes } from './sales.ts';
import { scoringRoutes } from './scoring.ts';
import { printJobRoutes } from './print-jobs.ts';
import { inboundRoutes } from './inbound.ts';
import { kpiRoutes } from './kpis.ts';
import { auditRoutes } from './audit.ts';

/** Every resource's routes, in the order they appear in the OpenAPI document. */
export const ALL_ROUTES: Routes[] = [
  authRoutes,
  userRoutes,
  tokenRoutes,
  productLineRoutes,
  scenarioRoutes,
  scenarioCountRoutes,
  simulateRoutes,
  leadRoutes,
  eventRoutes,
  enrollmentRoutes,
  outboxRoutes,
  templateRoutes,
  mailboxRoutes,
  trackingRoutes,
  webhookRoutes,
  handoffRoutes,
  callTaskRoutes,
  salesRoutes,
  scoringRoutes,
  printJobRoutes,
  inboundRoutes,
  kpiRoutes,
  auditRoutes,
];
