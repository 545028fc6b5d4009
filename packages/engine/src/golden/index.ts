/** The golden scenarios from practice, shared by the engine, simulator and runtime tests. */
import { dormantCoupon } from './dormant-coupon.ts';
import { perProductUnsubscribe } from './per-product-unsubscribe.ts';
import { seminarHotLeads } from './seminar-hot-leads.ts';
import { stepMailCall } from './step-mail-call.ts';

export type * from './fixture.ts';
export { dormantCoupon, perProductUnsubscribe, seminarHotLeads, stepMailCall };

/** All golden fixtures, (a) to (d). */
export const GOLDEN_FIXTURES = [stepMailCall, seminarHotLeads, dormantCoupon, perProductUnsubscribe];
