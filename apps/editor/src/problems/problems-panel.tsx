import { useTranslation } from 'react-i18next';
import { useEditor, useEditorStore } from '../store/context.ts';

/** Every problem of the drawing, errors first; a click brings the node into view and selects it. */
export function ProblemsPanel() {
  const { t, i18n } = useTranslation();
  const lang = i18n.language === 'en' ? 'en' : 'ja';
  const store = useEditorStore();
  const problems = useEditor((s) => s.problems);
  const errors = useEditor((s) => s.errors);
  const warnings = useEditor((s) => s.warnings);
  const sorted = [...problems].sort((a, b) => (a.severity === b.severity ? 0 : a.severity === 'error' ? -1 : 1));
  return (
    <section className="problems" data-testid="problems">
      <h2>
        {t('problems.title')}{' '}
        <span className="counts" data-testid="problem-counts">
          {errors > 0 && <span className="count-error">{t('problems.errors', { count: errors })}</span>}
          {warnings > 0 && <span className="count-warning">{t('problems.warnings', { count: warnings })}</span>}
          {problems.length === 0 && <span className="count-ok">{t('problems.none')}</span>}
        </span>
      </h2>
      <ul>
        {sorted.map((p, i) => (
          <li key={`${p.nodeId}:${p.code}:${p.field}:${i}`} className={`problem problem-${p.severity}`}>
            <button
              type="button"
              data-testid="problem"
              onClick={() => (p.nodeId !== null ? store.getState().focusNode(p.nodeId) : store.getState().selectNode(null))}
            >
              <span className="code mono">{p.code}</span>
              <span className="where mono">{p.nodeId ?? t('problems.scenario')}</span>
              <span className="message">{p.message[lang]}</span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
