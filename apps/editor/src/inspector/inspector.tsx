import { BUILTIN_EVENTS, entrySchema, exitGoalSchema, settingsSchema, type NodeKind } from '@nurtureflow/scenario';
import { useDeferredValue, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { z } from 'zod';
import { KIND_ICONS } from '../canvas/icons.ts';
import { useEditor, useEditorStore } from '../store/context.ts';
import type { EditorProblem } from '../store/types.ts';
import { FieldErrors } from './field-errors.tsx';
import { FormContext, type FormContextValue } from './form-context.ts';
import { nodeKindSchema } from './introspect.ts';
import { ObjectFields, SchemaField } from './schema-field.tsx';
import { SplitVariantsField } from './split-variants.tsx';
import { TemplatePreview, useTemplates } from './template-preview.tsx';
import type { Template } from '../api/client.ts';

const TIMEZONES = ['Asia/Tokyo', 'UTC', 'Asia/Seoul', 'Asia/Shanghai', 'Asia/Singapore', 'Europe/London', 'America/New_York', 'America/Los_Angeles'];
const goalsSchema = z.array(exitGoalSchema);

/** The form context of a set of problems: messages by field in the current language, and suggestions. */
function useFormContext(problems: readonly EditorProblem[], templates: readonly Template[] = []): FormContextValue {
  const { i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const refs = useEditor((s) => s.refs);
  return useMemo(
    () => ({
      errorsAt: (path: string) => problems.filter((p) => p.field === path).map((p) => p.message[lang]),
      suggestions: {
        event: [...BUILTIN_EVENTS],
        template: templates.map((x) => x.id),
        scenarioId: (refs.scenarios ?? []).map((s) => s.scenarioId),
        productLine: refs.productLines ?? [],
        timezone: TIMEZONES,
        to: ['sales'],
        goal: ['appointment', 'conversion', 'purchase', 'handoff'],
        channel: ['LINE', 'SNS', 'CRM', 'webhook'],
      },
    }),
    [problems, lang, refs, templates],
  );
}

/** The selected node's form, or the scenario's settings when no single node is selected. */
export function Inspector() {
  const { t } = useTranslation();
  // Deferred: selecting a node as a drag starts must not hold up the drag's first frame for the form.
  const selected = useDeferredValue(useEditor((s) => (s.selectedNodes.length === 1 ? s.selectedNodes[0] : null)));
  const readOnly = useEditor((s) => s.readOnly);
  return (
    <aside className="inspector" data-testid="inspector">
      <h2>{t('inspector.title')}</h2>
      {readOnly && <p className="muted">{t('inspector.readOnly')}</p>}
      <fieldset disabled={readOnly} className="bare">
        {selected ? <NodeForm key={selected} id={selected} /> : <ScenarioForm />}
      </fieldset>
    </aside>
  );
}

const NO_PROBLEMS: EditorProblem[] = [];

function NodeForm({ id }: { id: string }) {
  const { t } = useTranslation();
  const store = useEditorStore();
  // The node's data and kind only: a drag changes the node's position, which the form does not show.
  const data = useEditor((s) => s.nodes.find((n) => n.id === id)?.data);
  const type = useEditor((s) => s.nodes.find((n) => n.id === id)?.type);
  const problems = useEditor((s) => s.problemsByNode[id] ?? NO_PROBLEMS);
  const productLine = useEditor((s) => s.meta?.productLine);
  const templates = useTemplates(type === 'email' ? productLine : undefined);
  const form = useFormContext(problems, templates);
  const [idDraft, setIdDraft] = useState(id);
  if (!data || !type) return null;
  const kind = type as NodeKind;
  const schema = nodeKindSchema(kind);
  const update = (next: unknown) => store.getState().updateNodeData(id, next as Record<string, unknown>);
  const setField = (key: string, v: unknown) => {
    const next = { ...data };
    if (v === undefined || v === '') delete next[key];
    else next[key] = v;
    update(next);
  };
  return (
    <FormContext.Provider value={form}>
      <div className="node-form" data-testid={`form-${id}`}>
        <h3>
          <span className="kind-icon">{KIND_ICONS[kind]}</span> {t(`kinds.${kind}`)}
        </h3>
        <div className="field">
          <label htmlFor="node-id">{t('inspector.id')}</label>
          <input
            id="node-id"
            className="mono"
            data-testid="input-id"
            value={idDraft}
            onChange={(e) => setIdDraft(e.target.value)}
            onBlur={() => {
              if (idDraft !== id && !store.getState().renameNode(id, idDraft)) setIdDraft(id);
            }}
          />
          <FieldErrors path="id" />
        </div>
        <div className="field">
          <label htmlFor="node-name">{t('inspector.name')}</label>
          <input id="node-name" data-testid="input-name" value={typeof data['name'] === 'string' ? data['name'] : ''} onChange={(e) => setField('name', e.target.value)} />
        </div>
        {kind === 'split' ? (
          <SplitVariantsField value={data['variants']} onChange={(v) => setField('variants', v)} path="variants" />
        ) : (
          <ObjectFields schema={schema} value={data} onChange={update} path="" skip={['kind', 'outputs', 'name', 'note']} />
        )}
        {kind === 'email' && productLine && <TemplatePreview productLine={productLine} template={typeof data['template'] === 'string' ? data['template'] : ''} templates={templates} />}
        <div className="field">
          <label htmlFor="node-note">{t('inspector.note')}</label>
          <textarea id="node-note" rows={2} value={typeof data['note'] === 'string' ? data['note'] : ''} onChange={(e) => setField('note', e.target.value)} />
        </div>
        <FieldErrors path="" />
        <FieldErrors path="outputs" />
      </div>
    </FormContext.Provider>
  );
}

function ScenarioForm() {
  const { t } = useTranslation();
  const store = useEditorStore();
  const meta = useEditor((s) => s.meta);
  const all = useEditor((s) => s.problems);
  const problems = useMemo(() => all.filter((p) => p.nodeId === null), [all]);
  const form = useFormContext(problems);
  if (!meta) return null;
  return (
    <FormContext.Provider value={form}>
      <div className="scenario-form" data-testid="scenario-form">
        <h3>{t('inspector.scenario')}</h3>
        <div className="field">
          <label htmlFor="scenario-description">{t('fields.description')}</label>
          <textarea id="scenario-description" rows={2} value={meta.description} onChange={(e) => store.getState().updateMeta({ description: e.target.value })} />
        </div>
        <SchemaField schema={entrySchema} name="entry" path="entry" value={meta.entry} onChange={(v) => store.getState().updateMeta({ entry: v as typeof meta.entry })} />
        <SchemaField schema={goalsSchema} name="goals" path="goals" value={meta.goals} onChange={(v) => store.getState().updateMeta({ goals: v as typeof meta.goals })} />
        <SchemaField schema={settingsSchema} name="settings" path="settings" value={meta.settings} onChange={(v) => store.getState().updateMeta({ settings: v as typeof meta.settings })} />
        <FieldErrors path="name" />
      </div>
    </FormContext.Provider>
  );
}
