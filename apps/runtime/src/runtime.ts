import type { DB, DialectName } from '@nurtureflow/db';
import type { Kysely } from 'kysely';
import type { Clock } from './clock.ts';
import type { Logger } from './ops/logger.ts';
import type { ProcessState } from './ops/state.ts';

/** What every part of the runtime shares: the database, the clock and who this process is. */
export interface Runtime {
  db: Kysely<DB>;
  dialect: DialectName;
  clock: Clock;
  /** This process's name in claims (`claimed_by`), unique per process. */
  workerId: string;
  /** Limits what the worker touches; null for every product line. */
  productLines: readonly string[] | null;
  /** Where the process logs (JSON lines); absent in tests and benchmarks, which log nothing. */
  log?: Logger;
  /** The process's loops and whether it is stopping, for readiness; absent outside a runtime process. */
  process?: ProcessState;
}
