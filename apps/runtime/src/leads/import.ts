// Bulk import: every row is checked on its own, bad rows are reported with the reason and the
// good ones are upserted together (one transaction, set-based), so one typo does not cost a
// 10,000-row trade-show list and a failure half-way writes nothing.
import type { DB } from '@nurtureflow/db';
import type { Kysely } from 'kysely';
import { zodIssues, type Issue } from '../errors.ts';
import { productLineIssues } from './products.ts';
import { leadInputSchema, type LeadInput } from './schemas.ts';
import { upsertLeads } from './upsert.ts';

/** The most rows one import request may carry; larger lists are split by the client. */
export const MAX_IMPORT_ROWS = 50_000;

/** One row as read from the request, before it is checked. */
export interface ImportRow {
  /** 1-based position among the data rows. */
  row: number;
  /** For CSV: the line of the file the row ends on, as Excel numbers it. */
  line?: number;
  value: unknown;
  /** Problems found while reading the row (undecodable bytes, stray cells). */
  issues?: Issue[];
  /** For CSV: field path (`email`, `attributes.部署`) → the column header it came from. */
  columns?: ReadonlyMap<string, string>;
}

/** What became of one row. */
export interface ImportReportRow {
  row: number;
  line?: number;
  status: 'created' | 'updated' | 'merged' | 'rejected';
  leadId?: string;
  /** For `merged`: the leads this row proved to be the same person. */
  mergedLeadIds?: string[];
  /** For `rejected`: each reason, naming the field as `rows[<row - 1>].<field>`. */
  issues?: Issue[];
}

/** The per-row report and its totals. */
export interface ImportReport {
  totals: { rows: number; created: number; updated: number; merged: number; rejected: number };
  rows: ImportReportRow[];
}

/** Checks each row, upserts the good ones with 名寄せ and reports every row. */
export async function importLeads(db: Kysely<DB>, rows: readonly ImportRow[], now: Date): Promise<ImportReport> {
  const report: ImportReportRow[] = [];
  const good: { at: number; input: LeadInput }[] = [];
  const checked = rows.map((r) => ({ r, parsed: leadInputSchema.safeParse(r.value) }));
  const productIssues = await productLineIssues(
    db,
    checked.map(({ parsed }) => (parsed.success ? parsed.data.products : undefined)),
  );
  checked.forEach(({ r, parsed }, index) => {
    const prefix = `rows[${r.row - 1}]`;
    const issues = [...(r.issues ?? [])];
    if (!parsed.success) issues.push(...zodIssues(parsed.error).map((i) => ({ path: `${prefix}.${i.path}`, message: withColumn(r, i) })));
    for (const i of productIssues[index] ?? []) issues.push({ path: `${prefix}.${i.path}`, message: withColumn(r, i) });
    const base = { row: r.row, ...(r.line !== undefined ? { line: r.line } : {}) };
    if (issues.length > 0 || !parsed.success) report.push({ ...base, status: 'rejected', issues });
    else {
      good.push({ at: report.length, input: parsed.data });
      report.push({ ...base, status: 'created' });
    }
  });

  const results = await upsertLeads(db, good.map((g) => g.input), now);
  results.forEach((result, i) => {
    const entry = report[good[i]!.at]!;
    entry.leadId = result.leadId;
    if (result.mergedLeadIds.length > 0) {
      entry.status = 'merged';
      entry.mergedLeadIds = result.mergedLeadIds;
    } else entry.status = result.created ? 'created' : 'updated';
  });
  const count = (status: ImportReportRow['status']) => report.filter((r) => r.status === status).length;
  return {
    totals: { rows: report.length, created: count('created'), updated: count('updated'), merged: count('merged'), rejected: count('rejected') },
    rows: report,
  };
}

/** For CSV rows, the message names the column as the file's header does. */
function withColumn(row: ImportRow, issue: Issue): string {
  if (!row.columns) return issue.message;
  const header =
    row.columns.get(issue.path) ??
    row.columns.get(issue.path.split('.')[0]!) ??
    [...row.columns].find(([path]) => path.startsWith(`${issue.path}.`))?.[1];
  return header !== undefined && header !== issue.path ? `${issue.message} (column "${header}")` : issue.message;
}
