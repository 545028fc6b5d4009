import type { Reason } from '../types.ts';

/** A wait that no event ends. */
export const NO_EVENTS: readonly string[] = Object.freeze([]);

/** Reasons that carry no data are shared (and frozen): the hot path allocates none for them. */
export const PASSED: Reason = Object.freeze({ code: 'passed' });
export const WAIT_OVER: Reason = Object.freeze({ code: 'waitOver' });
export const TIMEOUT: Reason = Object.freeze({ code: 'timeout' });
