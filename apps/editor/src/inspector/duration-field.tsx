import { durationUnits } from '@nurtureflow/scenario';
import { useTranslation } from 'react-i18next';
import { FieldErrors } from './field-errors.tsx';
import { child } from './form-context.ts';

/** A span of time: an amount and a unit, business days (営業日) among the units. */
export function DurationField({ value, onChange, path }: { value: unknown; onChange: (v: unknown) => void; path: string }) {
  const { t } = useTranslation();
  const d = (typeof value === 'object' && value !== null ? value : {}) as { amount?: unknown; unit?: unknown };
  const amount = typeof d.amount === 'number' ? d.amount : '';
  const unit = typeof d.unit === 'string' ? d.unit : 'days';
  return (
    <div className="duration-field">
      <div className="row">
        <input
          type="number"
          min={0}
          step={1}
          data-testid={`input-${path}.amount`}
          aria-label={t('fields.amount')}
          value={amount}
          onChange={(e) => onChange({ ...d, amount: e.target.value === '' ? undefined : Number(e.target.value) })}
        />
        <select data-testid={`input-${path}.unit`} aria-label={t('fields.unit')} value={unit} onChange={(e) => onChange({ ...d, unit: e.target.value })}>
          {durationUnits.map((u) => (
            <option key={u} value={u}>
              {t(`enums.${u}`)}
            </option>
          ))}
        </select>
      </div>
      <FieldErrors path={child(path, 'amount')} />
      <FieldErrors path={child(path, 'unit')} />
    </div>
  );
}
