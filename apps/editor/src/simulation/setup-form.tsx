// The run's settings: sample leads (made up from a seed, or a CSV/JSON file with its bad rows
// listed), horizon, start, arrivals, seed, and the personas' probabilities.
import type { PersonaInput } from '@nurtureflow/simulator';
import { useMemo, type ChangeEvent } from 'react';
import { useTranslation } from 'react-i18next';
import { useSimulation, useSimulationStore } from './context.ts';
import { settingIssues, type SettingIssue, type SimulationSettings } from './settings.ts';

/** A setting's problem in the marketer's language (the simulator's own words for anything else). */
export function useIssueText(): (issue: SettingIssue | { path: string; message: string }) => string {
  const { t } = useTranslation();
  return (issue) => {
    if (!('code' in issue) || issue.code === 'invalid') return issue.message;
    // Probabilities are fractions in the format and percentages in the table.
    const percent = /^personas\.\d+\.(?!share$)/.test(issue.path) && issue.limit !== undefined;
    return t(`simulation.errors.${issue.code}`, { limit: percent ? `${issue.limit! * 100}%` : issue.limit });
  };
}

/** The probabilities the table shows, per persona (fractions shown as percentages). */
const PERSONA_FIELDS = ['open', 'click', 'unsubscribe', 'download', 'callConnected', 'appointment', 'handoffAccepted'] as const;
type PersonaField = (typeof PERSONA_FIELDS)[number];

function NumberField({ id, label, value, onChange, step = 1, min, max, errors }: { id: string; label: string; value: number; onChange: (n: number) => void; step?: number; min?: number; max?: number; errors: string[] }) {
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <input
        id={id}
        data-testid={id}
        type="number"
        value={Number.isFinite(value) ? value : ''}
        step={step}
        {...(min === undefined ? {} : { min })}
        {...(max === undefined ? {} : { max })}
        onChange={(e) => onChange(e.target.value === '' ? NaN : Number(e.target.value))}
      />
      {errors.length > 0 && (
        <ul className="field-errors">
          {errors.map((m) => (
            <li key={m}>{m}</li>
          ))}
        </ul>
      )}
    </div>
  );
}

const percent = (p: number | undefined) => (p === undefined ? '' : Math.round(p * 10_000) / 100);

/** The personas side by side, one column each, the probabilities down the rows. */
function PersonaTable({ personas, errorsAt }: { personas: PersonaInput[]; errorsAt: (path: string) => string[] }) {
  const { t } = useTranslation();
  const sim = useSimulationStore();
  const problems = personas.flatMap((p, i) => PERSONA_FIELDS.flatMap((f) => errorsAt(`personas.${i}.${f}`).map((m) => `${p.name ?? p.id} · ${t(`simulation.personas.${f}`)}: ${m}`)));
  return (
    <fieldset className="group">
      <legend>{t('simulation.personas.title')}</legend>
      <p className="muted small">{t('simulation.personas.hint')}</p>
      <table className="sim-table sim-personas" data-testid="sim-personas">
        <thead>
          <tr>
            <th />
            {personas.map((p) => (
              <th key={p.id} title={p.id}>
                {p.name ?? p.id}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          <tr>
            <th scope="row">{t('simulation.personas.share')}</th>
            {personas.map((p, i) => (
              <td key={p.id}>
                <input type="number" min={0} step={1} value={p.share ?? 1} data-testid={`sim-persona-${p.id}-share`} aria-label={`${p.name ?? p.id}: ${t('simulation.personas.share')}`} onChange={(e) => sim.getState().updatePersona(i, { share: Number(e.target.value) })} />
              </td>
            ))}
          </tr>
          {PERSONA_FIELDS.map((f: PersonaField) => (
            <tr key={f}>
              <th scope="row" title={t(`simulation.personas.${f}Title`)}>
                {t(`simulation.personas.${f}`)} %
              </th>
              {personas.map((p, i) => {
                const errors = errorsAt(`personas.${i}.${f}`);
                return (
                  <td key={p.id} className={errors.length > 0 ? 'invalid' : undefined} title={errors.join('\n') || undefined}>
                    <input
                      type="number"
                      min={0}
                      max={100}
                      step={0.1}
                      data-testid={`sim-persona-${p.id}-${f}`}
                      aria-label={`${p.name ?? p.id}: ${t(`simulation.personas.${f}`)} %`}
                      value={percent(p[f])}
                      onChange={(e) => sim.getState().updatePersona(i, { [f]: Number(e.target.value) / 100 })}
                    />
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {problems.map((m) => (
        <p key={m} className="error small">
          {m}
        </p>
      ))}
      <button className="link" onClick={() => sim.getState().resetPersonas()}>
        {t('simulation.personas.reset')}
      </button>
    </fieldset>
  );
}

/** Reads the chosen file's bytes and hands them to the worker, which reports each bad row. */
function LeadFileField() {
  const { t } = useTranslation();
  const sim = useSimulationStore();
  const file = useSimulation((s) => s.file);
  const leads = useSimulation((s) => (s.settings.source === 'file' ? s.leads : null));
  const onFile = async (e: ChangeEvent<HTMLInputElement>) => {
    const f = e.target.files?.[0];
    if (!f) return;
    await sim.getState().chooseFile({ name: f.name, bytes: await f.arrayBuffer() });
  };
  return (
    <div className="field">
      <label htmlFor="sim-file">{t('simulation.leads.file')}</label>
      <input id="sim-file" data-testid="sim-file" type="file" accept=".csv,.json,.txt,text/csv,application/json" onChange={(e) => void onFile(e)} />
      <p className="muted small">{t('simulation.leads.fileHint')}</p>
      {file && leads && (
        <p data-testid="sim-file-read">
          {t('simulation.leads.read', { name: file.name, count: leads.count, encoding: leads.encoding ?? '' })}
        </p>
      )}
      {leads && leads.errors.length > 0 && (
        <div className="sim-row-errors" data-testid="sim-row-errors">
          <p className="error small">{t('simulation.leads.badRows', { count: leads.errors.length })}</p>
          <table className="sim-table">
            <thead>
              <tr>
                <th>{t('simulation.leads.row')}</th>
                <th>{t('simulation.leads.field')}</th>
                <th>{t('simulation.leads.reason')}</th>
              </tr>
            </thead>
            <tbody>
              {leads.errors.map((r, i) => (
                <tr key={i} data-testid="sim-row-error">
                  <td>{r.row}</td>
                  <td>{r.field}</td>
                  <td>{r.message}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}

/** The settings tab. */
export function SetupForm() {
  const { t } = useTranslation();
  const sim = useSimulationStore();
  const s = useSimulation((x) => x.settings);
  const issues = useMemo(() => settingIssues(s), [s]);
  const say = useIssueText();
  const errorsAt = (path: string) => issues.filter((i) => i.path === path).map(say);
  const set = (patch: Partial<SimulationSettings>) => sim.getState().update(patch);
  return (
    <div className="sim-setup" data-testid="sim-setup">
      <fieldset className="group">
        <legend>{t('simulation.leads.title')}</legend>
        <div className="sim-radio">
          <label>
            <input type="radio" name="sim-source" data-testid="sim-source-generate" checked={s.source === 'generate'} onChange={() => set({ source: 'generate' })} /> {t('simulation.leads.generate')}
          </label>
          <label>
            <input type="radio" name="sim-source" data-testid="sim-source-file" checked={s.source === 'file'} onChange={() => set({ source: 'file' })} /> {t('simulation.leads.fromFile')}
          </label>
        </div>
        {s.source === 'generate' ? (
          <div className="sim-grid">
            <NumberField id="sim-count" label={t('simulation.leads.count')} value={s.count} min={1} onChange={(count) => set({ count })} errors={errorsAt('count')} />
            <NumberField id="sim-lead-seed" label={t('simulation.leads.seed')} value={s.leadSeed} onChange={(leadSeed) => set({ leadSeed })} errors={errorsAt('leadSeed')} />
            <NumberField id="sim-ja" label={t('simulation.leads.ja')} value={s.ja} min={0} onChange={(ja) => set({ ja })} errors={errorsAt('ja')} />
            <NumberField id="sim-en" label={t('simulation.leads.en')} value={s.en} min={0} onChange={(en) => set({ en })} errors={errorsAt('en')} />
          </div>
        ) : (
          <LeadFileField />
        )}
      </fieldset>
      <fieldset className="group">
        <legend>{t('simulation.horizon.title')}</legend>
        <div className="sim-grid">
          <NumberField id="sim-days" label={t('simulation.horizon.days')} value={s.days} min={1} max={365} onChange={(days) => set({ days })} errors={errorsAt('days')} />
          <div className="field">
            <label htmlFor="sim-start">{t('simulation.horizon.start')}</label>
            <input id="sim-start" data-testid="sim-start" type="date" value={s.startDate} onChange={(e) => set({ startDate: e.target.value })} />
            {errorsAt('startDate').map((m) => (
              <span key={m} className="error small">
                {m}
              </span>
            ))}
          </div>
          <NumberField id="sim-arrival" label={t('simulation.horizon.arrivalDays')} value={s.arrivalDays} min={0} onChange={(arrivalDays) => set({ arrivalDays })} errors={errorsAt('arrivalDays')} />
          <NumberField id="sim-seed" label={t('simulation.horizon.seed')} value={s.seed} onChange={(seed) => set({ seed })} errors={errorsAt('seed')} />
        </div>
        <p className="muted small">{t('simulation.horizon.hint')}</p>
      </fieldset>
      <PersonaTable personas={s.personas as PersonaInput[]} errorsAt={errorsAt} />
    </div>
  );
}
