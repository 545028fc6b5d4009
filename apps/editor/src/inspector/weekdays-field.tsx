import { useTranslation } from 'react-i18next';
import { FieldErrors } from './field-errors.tsx';

/** The days of the week as checkboxes, Sunday (0) to Saturday (6), stored as sorted numbers. */
export function WeekdaysField({ value, onChange, path, label }: { value: unknown; onChange: (v: unknown) => void; path: string; label: string }) {
  const { t } = useTranslation();
  const days = new Set(Array.isArray(value) ? value.filter((d): d is number => typeof d === 'number') : []);
  const names = t('inspector.weekdayNames').split(',');
  return (
    <fieldset className="group">
      <legend>{label}</legend>
      <div className="row weekdays" data-testid={`weekdays-${path}`}>
        {names.map((name, d) => (
          <label key={d} className="check">
            <input
              type="checkbox"
              checked={days.has(d)}
              onChange={(e) => {
                const next = new Set(days);
                if (e.target.checked) next.add(d);
                else next.delete(d);
                onChange([...next].sort((a, b) => a - b));
              }}
            />
            {name}
          </label>
        ))}
      </div>
      <FieldErrors path={path} />
    </fieldset>
  );
}
