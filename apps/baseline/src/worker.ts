// The baseline's worker: graphile-worker running the one task, `step`, over the baseline's tables.
import { Logger, run, runMigrations, runOnce, type Runner, type RunnerOptions, type Task } from 'graphile-worker';
import pg from 'pg';
import { z } from 'zod';
import type { Journey } from './journey.ts';
import { createTables, dropTables, schemasSchema, step, stepPayloadSchema, type Schemas } from './store.ts';

/** How the baseline runs; the defaults are graphile-worker's published high-throughput settings, as good as any measured here (README). */
export const baselineOptionsSchema = z.object({
  connectionString: z.string().startsWith('postgres', { error: 'must be a postgres:// URL' }),
  schemas: schemasSchema,
  scenarioId: z.string().min(1),
  /** Jobs run at once in this process. */
  concurrency: z.number().int().min(1).max(100).default(24),
  /** Connections: the jobs' own plus the worker's fetching and completing. */
  poolSize: z.number().int().min(2).max(100).optional(),
  /** How often an idle worker looks for jobs that became due (new jobs are announced by NOTIFY). */
  pollInterval: z.number().int().min(10).default(2000),
  /** Jobs fetched and locked per query; -1 fetches one job per query. */
  localQueueSize: z.number().int().min(-1).default(500),
  /** Completions gathered for this long (ms) into one statement; -1 completes each job alone. */
  completeJobBatchDelay: z.number().int().min(-1).default(250),
  /** Compare run_at with Node's clock instead of Postgres' (the test moves Node's clock). */
  useNodeTime: z.boolean().default(false),
});
export type BaselineOptions = z.input<typeof baselineOptionsSchema>;

/** The baseline's tables and queue on one Postgres, with the ways to run its worker. */
export interface Baseline {
  readonly pool: pg.Pool;
  readonly schemas: Schemas;
  readonly scenarioId: string;
  /** The settings in force, defaults filled in. */
  readonly options: z.output<typeof baselineOptionsSchema>;
  /** Starts the worker; `onStep` is told of every step taken (not of jobs that found nothing to do). */
  start(onStep?: (j: Journey) => void): Promise<Runner>;
  /** Runs every job due now, one at a time, and returns when none is left. */
  runDue(onStep?: (j: Journey) => void): Promise<void>;
  /** Drops the tables and the queue, and closes the pool. */
  drop(): Promise<void>;
}

/** Only errors are logged: graphile-worker reports every job at debug level. */
const quiet = new Logger(() => (level, message) => {
  if (level === 'error') console.error(message);
});

/** Opens the pool, creates the tables and installs graphile-worker's schema. */
export async function openBaseline(input: BaselineOptions): Promise<Baseline> {
  const o = baselineOptionsSchema.parse(input);
  const pool = new pg.Pool({ connectionString: o.connectionString, max: o.poolSize ?? o.concurrency + 2 });
  // An idle connection that breaks is dropped by the pool; say so rather than crash the process.
  pool.on('error', (e) => console.error(`baseline pool: ${e.message}`));
  pool.on('connect', (client) => client.on('error', (e) => console.error(`baseline connection: ${e.message}`)));
  const runner = (onStep?: (j: Journey) => void): RunnerOptions => {
    const stepTask: Task = async (payload, helpers) => {
      const p = stepPayloadSchema.parse(payload);
      const j = await helpers.withPgClient((c) => step(c, o.schemas, o.scenarioId, p));
      if (j && onStep) onStep(j);
    };
    return {
      pgPool: pool,
      schema: o.schemas.worker,
      concurrency: o.concurrency,
      pollInterval: o.pollInterval,
      noHandleSignals: true,
      logger: quiet,
      taskList: { step: stepTask },
      preset: {
        worker: {
          useNodeTime: o.useNodeTime,
          ...(o.localQueueSize > 0 ? { localQueue: { size: o.localQueueSize } } : {}),
          completeJobBatchDelay: o.completeJobBatchDelay,
          failJobBatchDelay: o.completeJobBatchDelay,
        },
      },
    };
  };
  await createTables(pool, o.schemas);
  await runMigrations({ pgPool: pool, schema: o.schemas.worker, logger: quiet });
  return {
    pool,
    schemas: o.schemas,
    scenarioId: o.scenarioId,
    options: o,
    start: (onStep) => run(runner(onStep)),
    runDue: (onStep) => runOnce({ ...runner(onStep), concurrency: 1 }),
    drop: async () => {
      try {
        await dropTables(pool, o.schemas);
      } finally {
        await pool.end();
      }
    },
  };
}
