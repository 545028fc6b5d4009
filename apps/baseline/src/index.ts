// The benchmark's baseline: the bench scenario by hand on graphile-worker, one job per step.
export { walk, wakesOn, type Journey, type HistoryRow, type OutboxRow, type Wake, type Walked } from './journey.ts';
export { addLeads, countRows, enrol, ingestEvent, readJourneys, type Schemas, type StepPayload } from './store.ts';
export { openBaseline, baselineOptionsSchema, type Baseline, type BaselineOptions } from './worker.ts';
