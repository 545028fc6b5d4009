// The published versions of a scenario: immutable, numbered from 1, each with the publisher's note.
import type { DB } from '@nurtureflow/db';
import type { Graph } from '@nurtureflow/scenario';
import type { Kysely } from 'kysely';
import { loadPublishedGraph, versionNotFound } from './published-graph.ts';
import { scenarioRow } from './scenarios.ts';

/** One published version in a list. */
export interface VersionSummary {
  version: number;
  note: string;
  publishedAt: string;
  /** This is the version new leads enter. */
  current: boolean;
}

/** A published version with its graph. */
export interface VersionView extends VersionSummary {
  scenarioId: string;
  graph: Graph;
}

/** The versions of a scenario, newest first; 404 when the scenario does not exist. */
export async function listVersions(db: Kysely<DB>, scenarioId: string): Promise<VersionSummary[]> {
  const scenario = await scenarioRow(db, scenarioId);
  const rows = await db
    .selectFrom('scenario_versions')
    .select(['version', 'note', 'published_at'])
    .where('scenario_id', '=', scenarioId)
    .orderBy('version', 'desc')
    .execute();
  return rows.map((r) => ({ version: r.version, note: r.note, publishedAt: r.published_at.toISOString(), current: r.version === scenario.published_version }));
}

/** One published version with its graph in the current format; 404 when there is none. */
export async function getVersion(db: Kysely<DB>, scenarioId: string, version: number): Promise<VersionView> {
  const scenario = await scenarioRow(db, scenarioId);
  const row = await db
    .selectFrom('scenario_versions')
    .select(['note', 'published_at'])
    .where('scenario_id', '=', scenarioId)
    .where('version', '=', version)
    .executeTakeFirst();
  if (!row) throw versionNotFound(scenarioId, version);
  return {
    scenarioId,
    version,
    note: row.note,
    publishedAt: row.published_at.toISOString(),
    current: version === scenario.published_version,
    graph: await loadPublishedGraph(db, scenarioId, version),
  };
}
