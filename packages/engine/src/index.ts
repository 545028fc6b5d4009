/** The pure, deterministic interpreter of scenario graphs. No I/O, no clock, no Math.random. */
export * from './types.ts';
export { enter, advance } from './engine.ts';
export { matchTriggers, nextScheduleAt, type TriggerCause } from './triggers.ts';
export { canEnter, type EntryRefusal } from './can-enter.ts';
export { evaluateCondition, type ConditionScope, type LookedAt } from './conditions.ts';
export { matchFieldTest, matchFieldTests } from './field-test.ts';
export { applyScoringEvent, applyDecay, rankFor, type ScoreStanding, type ScoreChange } from './scoring.ts';
export { splitBucket, trackingCode } from './split-bucket.ts';
export {
  addDuration,
  subtractDuration,
  nextTimeOfDay,
  quietHoursEnd,
  isBusinessDay,
  DEFAULT_CALENDAR,
  type CalendarSettings,
} from './calendar.ts';
export { eventLookBack } from './look-back.ts';
export { withStanding } from './lead-view.ts';
