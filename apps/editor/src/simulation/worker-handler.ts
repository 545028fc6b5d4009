// The editor's simulation worker: makes or reads the sample leads and keeps them, runs the
// simulator over them (all, or the one lead a replay follows), and searches them by name. The
// worker file only hands its scope to `serveEditorWorker`, so this runs in node tests as it is.
import { answerSimulation, decodeLeadFile, generateLeads, readLeads, type SampleLead } from '@nurtureflow/simulator';
import type { LeadRow, LeadSource, WorkerRequest, WorkerResponse } from './protocol.ts';

/** The part of a worker's global scope this needs. */
export interface EditorWorkerScope {
  postMessage(message: WorkerResponse): void;
  addEventListener(type: 'message', listener: (e: { data: unknown }) => void): void;
}

function load(source: LeadSource): { leads: SampleLead[]; errors: { row: number; field: string; message: string }[]; encoding: string | null } {
  if (source.kind === 'generate') {
    const leads = generateLeads(source.count, { seed: source.seed, productLine: source.productLine, locales: { ja: source.ja, en: source.en } });
    return { leads, errors: [], encoding: null };
  }
  const decoded = decodeLeadFile(new Uint8Array(source.bytes));
  const file = readLeads(decoded.text);
  return { leads: file.leads, errors: file.errors, encoding: decoded.encoding };
}

const fold = (s: string | undefined) => (s ?? '').normalize('NFKC').toLowerCase();

function rowOf(l: SampleLead): LeadRow {
  return { id: l.id, name: l.name ?? null, company: l.company ?? null, email: l.email ?? null };
}

/** Makes a worker scope answer the editor's requests. */
export function serveEditorWorker(scope: EditorWorkerScope): void {
  let leads: SampleLead[] = [];
  let byId = new Map<string, SampleLead>();
  scope.addEventListener('message', (e) => {
    const req = e.data as WorkerRequest;
    if (req.type === 'leads') {
      try {
        const loaded = load(req.source);
        leads = loaded.leads;
        byId = new Map(leads.map((l) => [l.id, l]));
        scope.postMessage({ type: 'leads', id: req.id, count: leads.length, errors: loaded.errors.slice(0, 200), encoding: loaded.encoding });
      } catch (err) {
        leads = [];
        byId = new Map();
        scope.postMessage({ type: 'error', id: req.id, message: err instanceof Error ? err.message : String(err), issues: [] });
      }
    } else if (req.type === 'run') {
      const chosen = req.only === undefined ? leads : req.only.flatMap((id) => byId.get(id) ?? []);
      answerSimulation({ type: 'simulate', id: req.id, input: { ...req.input, leads: chosen } }, (m) => scope.postMessage(m));
    } else if (req.type === 'search') {
      const q = fold(req.query.trim());
      const hits: LeadRow[] = [];
      let total = 0;
      for (const l of leads) {
        if (q !== '' && !fold(l.id).includes(q) && !fold(l.name).includes(q) && !fold(l.company).includes(q) && !fold(l.email).includes(q)) continue;
        total++;
        if (hits.length < req.limit) hits.push(rowOf(l));
      }
      scope.postMessage({ type: 'found', id: req.id, leads: hits, total });
    }
  });
}
