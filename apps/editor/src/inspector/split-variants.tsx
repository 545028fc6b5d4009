import { useTranslation } from 'react-i18next';
import { FieldErrors } from './field-errors.tsx';
import { child } from './form-context.ts';

interface Variant {
  id: string;
  label: string;
  weight: number;
  holdout: boolean;
}

/** Weights scaled to whole percentages adding up to exactly 100 (the largest remainders round up). */
export function toHundred(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + Math.max(0, b), 0);
  if (total <= 0) return weights.map((_, i) => Math.floor(100 / weights.length) + (i < 100 % weights.length ? 1 : 0));
  const exact = weights.map((w) => (Math.max(0, w) / total) * 100);
  const floors = exact.map(Math.floor);
  let left = 100 - floors.reduce((a, b) => a + b, 0);
  const order = exact.map((x, i) => [x - Math.floor(x), i] as const).sort((a, b) => b[0] - a[0]);
  for (const [, i] of order) {
    if (left <= 0) break;
    floors[i] = (floors[i] as number) + 1;
    left--;
  }
  return floors;
}

/** A split's variants: id, label, weight in percent (the total must be 100) and holdout. */
export function SplitVariantsField({ value, onChange, path }: { value: unknown; onChange: (v: unknown) => void; path: string }) {
  const { t } = useTranslation();
  const list = (Array.isArray(value) ? value : []) as Variant[];
  const total = Math.round(list.reduce((a, v) => a + (typeof v.weight === 'number' ? v.weight : 0), 0) * 100) / 100;
  const set = (i: number, patch: Partial<Variant>) => onChange(list.map((v, j) => (j === i ? { ...v, ...patch } : v)));
  const add = () => {
    const taken = new Set(list.map((v) => v.id));
    let code = 65;
    while (taken.has(String.fromCharCode(code))) code++;
    onChange([...list, { id: String.fromCharCode(code), label: '', weight: 0, holdout: false }]);
  };
  return (
    <fieldset className="group" data-testid="split-variants">
      <legend>{t('fields.variants')}</legend>
      <table className="variants">
        <thead>
          <tr>
            <th>{t('fields.id')}</th>
            <th>{t('fields.label')}</th>
            <th>{t('fields.weight')}</th>
            <th>{t('summary.holdout')}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {list.map((v, i) => (
            <tr key={i}>
              <td>
                <input className="mono narrow" data-testid={`input-${child(child(path, i), 'id')}`} value={v.id} onChange={(e) => set(i, { id: e.target.value })} />
                <FieldErrors path={child(child(path, i), 'id')} />
              </td>
              <td>
                <input value={v.label} onChange={(e) => set(i, { label: e.target.value })} />
              </td>
              <td>
                <input
                  type="number"
                  className="narrow"
                  min={0}
                  max={100}
                  data-testid={`input-${child(child(path, i), 'weight')}`}
                  value={typeof v.weight === 'number' ? v.weight : ''}
                  onChange={(e) => set(i, { weight: e.target.value === '' ? 0 : Number(e.target.value) })}
                />
                <FieldErrors path={child(child(path, i), 'weight')} />
              </td>
              <td>
                <input type="checkbox" checked={v.holdout === true} onChange={(e) => set(i, { holdout: e.target.checked })} />
              </td>
              <td>
                <button type="button" className="danger" title={t('inspector.remove')} onClick={() => onChange(list.filter((_, j) => j !== i))}>
                  ×
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="row">
        <span className={`total${total === 100 ? '' : ' total-bad'}`} data-testid="split-total">
          {t('inspector.total', { total })}
        </span>
        <button type="button" onClick={add}>
          + {t('inspector.add')}
        </button>
        {total !== 100 && list.length > 0 && (
          <button type="button" data-testid="split-hundred" onClick={() => onChange(list.map((v, i) => ({ ...v, weight: toHundred(list.map((x) => x.weight))[i] ?? 0 })))}>
            {t('inspector.makeHundred')}
          </button>
        )}
      </div>
      <FieldErrors path={path} />
    </fieldset>
  );
}
