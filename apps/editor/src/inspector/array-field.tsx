import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { FieldErrors } from './field-errors.tsx';
import { child } from './form-context.ts';
import { defaultFor, defOf, unwrap, widgetOf } from './introspect.ts';
import { SchemaField, type FieldProps } from './schema-field.tsx';

// New list items that carry an id get one not used yet: `case-2`, `goal-1`…
function withFreshId(item: unknown, list: readonly unknown[], name: string): unknown {
  if (typeof item !== 'object' || item === null || !('id' in item) || (item as { id: unknown }).id !== '') return item;
  const prefix = name === 'cases' ? 'case' : name === 'goals' ? 'goal' : name === 'variants' ? 'variant' : name === 'rules' ? 'rule' : 'item';
  const taken = new Set(list.map((x) => (typeof x === 'object' && x !== null ? (x as { id?: unknown }).id : undefined)));
  let n = list.length + 1;
  while (taken.has(`${prefix}-${n}`)) n++;
  return { ...item, id: `${prefix}-${n}` };
}

/** A list: each item edited with its own schema, added, removed and reordered. */
export function ArrayField({ schema, value, onChange, path, name, label }: FieldProps) {
  const { t } = useTranslation();
  const element = defOf(schema).element as z.ZodType;
  const list = Array.isArray(value) ? value : [];
  const simple = !['object', 'variant', 'condition'].includes(widgetOf(unwrap(element).schema));
  const replace = (i: number, v: unknown) => onChange(list.map((x, j) => (j === i ? v : x)));
  const move = (i: number, by: number) => {
    const next = [...list];
    const [x] = next.splice(i, 1);
    next.splice(i + by, 0, x);
    onChange(next);
  };
  return (
    <fieldset className={`group list${simple ? ' list-simple' : ''}`} data-testid={`list-${path}`}>
      <legend>{label}</legend>
      {list.map((item, i) => (
        <div key={i} className="list-item">
          <SchemaField schema={element} value={item} onChange={(v) => replace(i, v)} path={child(path, i)} name={name} label={simple ? `${i + 1}` : `#${i + 1}`} />
          <div className="list-item-actions">
            <button type="button" title={t('inspector.up')} disabled={i === 0} onClick={() => move(i, -1)}>
              ↑
            </button>
            <button type="button" title={t('inspector.down')} disabled={i === list.length - 1} onClick={() => move(i, 1)}>
              ↓
            </button>
            <button type="button" className="danger" data-testid={`remove-${child(path, i)}`} title={t('inspector.remove')} onClick={() => onChange(list.filter((_, j) => j !== i))}>
              ×
            </button>
          </div>
        </div>
      ))}
      <button type="button" data-testid={`add-${path}`} onClick={() => onChange([...list, withFreshId(defaultFor(element), list, name)])}>
        + {t('inspector.add')}
      </button>
      <FieldErrors path={path} />
    </fieldset>
  );
}
