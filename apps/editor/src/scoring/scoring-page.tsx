// The scoring editor of one product line: rules (event kind, filters, points, daily cap), decay,
// rank thresholds and the hot threshold, in forms read from the format's schema; a preview of how
// the product line's current leads fall into ranks under the edited rules; then save.
import { BUILTIN_EVENTS, scoringSchema, type Scoring } from '@nurtureflow/scenario';
import { useEffect, useMemo, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiFailure, type ProductLine } from '../api/client.ts';
import { FormContext } from '../inspector/form-context.ts';
import { shapeOf } from '../inspector/introspect.ts';
import { SchemaField } from '../inspector/schema-field.tsx';
import { ProductLinePages } from '../nav/product-line-pages.tsx';
import { ProductLineSwitcher } from '../nav/product-line-switcher.tsx';
import '../sales/sales.css';
import { useAsync } from '../use-async.ts';
import { scoringApi } from './api.ts';
import { draftOf, formPath, isChanged, parsedScoring, scoringIssues, settingsWithScoring, type ScoringDraft, type ScoringIssue, type ScoringPreview } from './form.ts';
import { PreviewTable } from './preview-table.tsx';
import './scoring.css';

// The thresholds first: they are what is tuned most often.
const FIELDS = ['hotThreshold', 'ranks', 'rules', 'decay'] as const;
const SHAPE = shapeOf(scoringSchema);
const SUGGESTIONS = { event: BUILTIN_EVENTS };
/** A pause in typing before the preview runs again. */
const PREVIEW_DELAY_MS = 600;

/** A problem in the marketer's language. */
function useIssueText(): (issue: ScoringIssue) => string {
  const { t } = useTranslation();
  return (issue) => (issue.code === 'invalid' ? issue.message : t(`scoring.errors.${issue.code}`, { limit: issue.limit, other: issue.other }));
}

/** The scoring editor's screen. */
export function ScoringPage({ productLine }: { productLine: string }) {
  const { t } = useTranslation();
  const line = useAsync(() => scoringApi.productLine(productLine), [productLine]);
  if (line.error) return <p className="error">{t('app.error', { message: line.error.message })}</p>;
  if (!line.data) return <p className="loading">{t('app.loading')}</p>;
  return <ScoringEditor productLine={line.data} onSaved={line.reload} />;
}

function ScoringEditor({ productLine, onSaved }: { productLine: ProductLine; onSaved: () => void }) {
  const { t } = useTranslation();
  const say = useIssueText();
  const saved = productLine.settings.scoring;
  const [draft, setDraft] = useState<ScoringDraft>(() => draftOf(saved));
  const [server, setServer] = useState<{ path: string; message: string }[]>([]);
  const [preview, setPreview] = useState<{ key: string; result: ScoringPreview } | null>(null);
  const [previewing, setPreviewing] = useState(false);
  const [previewError, setPreviewError] = useState<{ key: string; message: string } | null>(null);
  const [saving, setSaving] = useState(false);
  const [message, setMessage] = useState<{ kind: 'ok' | 'error'; text: string } | null>(null);

  const issues = useMemo(() => scoringIssues(draft), [draft]);
  const scoring = useMemo<Scoring | null>(() => (issues.length === 0 ? parsedScoring(draft) : null), [issues, draft]);
  const key = scoring ? JSON.stringify(scoring) : null;
  const changed = isChanged(saved, draft);
  const current = preview !== null && preview.key === key;

  const runPreview = async (s: Scoring, k: string) => {
    setPreviewing(true);
    setPreviewError(null);
    try {
      setPreview({ key: k, result: await scoringApi.preview(productLine.id, s) });
    } catch (e) {
      setPreviewError({ key: k, message: e instanceof Error ? e.message : String(e) });
    } finally {
      setPreviewing(false);
    }
  };
  // The preview follows the form: after a pause in typing, for a form without problems.
  // One preview at a time (on the embedded database they would queue behind each other): when one
  // finishes and the form has changed meanwhile, the next starts.
  useEffect(() => {
    // A preview that failed is not retried on its own for the same form: the button asks again.
    if (previewing || scoring === null || key === null || (preview !== null && preview.key === key) || previewError?.key === key) return;
    const timer = setTimeout(() => void runPreview(scoring, key), PREVIEW_DELAY_MS);
    return () => clearTimeout(timer);
    // `scoring` is derived from `key`.
  }, [key, previewing]);

  const save = async () => {
    if (scoring === null) return;
    setSaving(true);
    setMessage(null);
    setServer([]);
    try {
      await scoringApi.save(productLine.id, settingsWithScoring(productLine.settings, scoring));
      setMessage({ kind: 'ok', text: t('scoring.saved') });
      onSaved();
    } catch (e) {
      if (e instanceof ApiFailure) {
        setServer(e.issues.flatMap((i) => (formPath(i.path) === null ? [] : [{ path: formPath(i.path)!, message: i.message }])));
      }
      setMessage({ kind: 'error', text: t('scoring.saveFailed', { message: e instanceof Error ? e.message : String(e) }) });
    } finally {
      setSaving(false);
    }
  };

  const form = useMemo(
    () => ({
      errorsAt: (path: string) => [...issues.filter((i) => i.path === path).map(say), ...server.filter((i) => i.path === path).map((i) => i.message)],
      suggestions: SUGGESTIONS,
    }),
    [issues, server, say],
  );
  const set = (field: (typeof FIELDS)[number], value: unknown) => {
    setServer([]);
    setMessage(null);
    setDraft((d) => ({ ...d, [field]: value }) as ScoringDraft);
  };

  return (
    <section className="sales-page scoring-page">
      <div className="list-toolbar">
        <ProductLineSwitcher value={productLine.id} screen="scoring" />
        <h1>{t('scoring.title')}</h1>
        <ProductLinePages productLine={productLine.id} current="scoring" />
      </div>
      <p className="muted">{t('scoring.intro')}</p>
      <div className="scoring-layout">
        <FormContext.Provider value={form}>
          <div className="scoring-form" data-testid="scoring-form">
            {FIELDS.map((f) => (
              <SchemaField key={f} schema={SHAPE[f]!} value={draft[f]} onChange={(v) => set(f, v)} path={f} name={f} />
            ))}
          </div>
        </FormContext.Provider>
        <aside className="scoring-side">
          <h2>{t('scoring.preview')}</h2>
          <p className="muted small">{t('scoring.previewHint')}</p>
          {issues.length > 0 && (
            <p className="error" data-testid="scoring-problems">
              {t('scoring.fixErrors', { count: issues.length })}
            </p>
          )}
          {preview && <PreviewTable preview={preview.result} stale={!current} />}
          {previewing && <p className="muted small">{t('scoring.previewing')}</p>}
          {previewError && <p className="error">{t('scoring.previewFailed', { message: previewError.message })}</p>}
          <div className="scoring-actions">
            <button type="button" data-testid="scoring-preview" disabled={scoring === null || previewing} onClick={() => scoring && key && void runPreview(scoring, key)}>
              {t('scoring.recalculate')}
            </button>
            <button type="button" data-testid="scoring-reset" disabled={!changed || saving} onClick={() => setDraft(draftOf(saved))}>
              {t('scoring.reset')}
            </button>
            <button type="button" className="primary" data-testid="scoring-save" disabled={!changed || scoring === null || !current || saving} onClick={() => void save()}>
              {saving ? t('scoring.saving') : t('scoring.save')}
            </button>
          </div>
          {changed && scoring !== null && !current && <p className="muted small">{t('scoring.previewFirst')}</p>}
          {!changed && <p className="muted small" data-testid="scoring-unchanged">{t('scoring.unchanged')}</p>}
          {message && (
            <p className={message.kind === 'ok' ? 'ok' : 'error'} data-testid="scoring-message">
              {message.text}
            </p>
          )}
        </aside>
      </div>
    </section>
  );
}
