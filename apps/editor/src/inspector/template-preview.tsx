import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { api, type Template } from '../api/client.ts';
import { useAsync } from '../use-async.ts';

/** The product line's e-mail templates, for the template field's suggestions. */
export function useTemplates(productLine: string | undefined): Template[] {
  const list = useAsync(() => (productLine ? api.templates(productLine).catch(() => []) : Promise.resolve([])), [productLine]);
  return list.data ?? [];
}

/** The chosen template's name and subject, and its rendering for the built-in sample lead on request. */
export function TemplatePreview({ productLine, template, templates }: { productLine: string; template: string; templates: readonly Template[] }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  const known = templates.find((x) => x.id === template);
  const preview = useAsync(() => (open && known ? api.previewTemplate(productLine, template) : Promise.resolve(null)), [open, productLine, template, known?.id]);
  if (!template) return null;
  return (
    <div className="template-preview" data-testid="template-preview">
      {known ? (
        <p className="muted small">
          {known.name} — {known.subject}
        </p>
      ) : (
        templates.length > 0 && <p className="warning small">{t('inspector.unknownTemplate', { template })}</p>
      )}
      {known && (
        <button type="button" onClick={() => setOpen(!open)}>
          {t('inspector.preview')}
        </button>
      )}
      {open && preview.data && (
        <div className="preview-box">
          <strong>{preview.data.subject}</strong>
          <iframe title={t('inspector.preview')} sandbox="" srcDoc={preview.data.html} />
        </div>
      )}
      {open && preview.error && <p className="error small">{preview.error.message}</p>}
    </div>
  );
}
