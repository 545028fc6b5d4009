// A lead merged into another (名寄せ) takes its sent e-mails along, but the links in mail already
// delivered still name the merged lead: such a message is found on the lead that survived.
import { sql } from 'kysely';
import { records, type Db } from '../core/bulk.ts';

/** A sent message as tracking reads it, with the lead its tokens name. */
export interface MergedSentRow {
  token_lead: string;
  lead_id: string;
  key: string;
  product_line: string;
  scenario_id: string;
  node_id: string;
  links: string[];
}

/**
 * The sent messages among `wanted` (lead and key as the tokens name them) whose lead has been merged
 * since; merge chains are kept one hop long, so `merged_into` is the survivor.
 */
export async function sentOfMergedLeads(db: Db, wanted: readonly { lead_id: string; key: string }[]): Promise<MergedSentRow[]> {
  if (wanted.length === 0) return [];
  const found = await sql<MergedSentRow>`
    select r.lead_id as token_lead, s.lead_id, s.key, s.product_line, s.scenario_id, s.node_id, s.links
    from ${records(wanted)} as r(lead_id text, key text)
    join leads l on l.id = r.lead_id and l.merged_into is not null
    join sent_emails s on s.lead_id = l.merged_into and s.key = r.key`.execute(db);
  return found.rows;
}
