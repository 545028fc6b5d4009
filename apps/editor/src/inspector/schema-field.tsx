import { useId, type ReactNode } from 'react';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { ConditionBuilder } from './condition-builder.tsx';
import { DurationField } from './duration-field.tsx';
import { FieldErrors } from './field-errors.tsx';
import { child, useForm } from './form-context.ts';
import { defaultFor, enumOptions, numberBounds, shapeOf, unwrap, variantsOf, widgetOf } from './introspect.ts';
import { ArrayField } from './array-field.tsx';
import { WeekdaysField } from './weekdays-field.tsx';

type Schema = z.ZodType;

/** What every field widget gets. */
export interface FieldProps {
  schema: Schema;
  value: unknown;
  onChange: (value: unknown) => void;
  /** The dotted path from the node (or document), as problems name fields. */
  path: string;
  /** The field's key, for its label and suggestions. */
  name: string;
  label?: string;
}

/** A field's label from the catalogue, or its key when the catalogue has none. */
export function useFieldLabel(): (name: string) => string {
  const { t } = useTranslation();
  return (name) => t(`fields.${name}`, { defaultValue: name });
}

function Labelled({ label, path, children, inline }: { label: string; path: string; children: (id: string) => ReactNode; inline?: boolean }) {
  const id = useId();
  return (
    <div className={`field${inline ? ' field-inline' : ''}`}>
      <label htmlFor={id}>{label}</label>
      {children(id)}
      <FieldErrors path={path} />
    </div>
  );
}

function parseScalar(text: string): unknown {
  const s = text.trim();
  if (s === 'true') return true;
  if (s === 'false') return false;
  if (s !== '' && !Number.isNaN(Number(s))) return Number(s);
  return s;
}

/** A field of any schema: the widget follows the schema (see `widgetOf`). */
export function SchemaField(props: FieldProps) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const form = useForm();
  const { schema, value, onChange, path, name } = props;
  const u = unwrap(schema);
  const w = widgetOf(u.schema);
  const text = props.label ?? label(name);
  if (w === 'hidden') return null;

  // An optional group (quiet hours, a response timeout, an audience) is switched on and off.
  if (u.optional && ['object', 'duration', 'condition', 'variant'].includes(w)) {
    const on = value !== undefined;
    return (
      <fieldset className="group optional-group">
        <legend>
          <label className="check">
            <input type="checkbox" data-testid={`toggle-${path}`} checked={on} onChange={(e) => onChange(e.target.checked ? defaultFor(u.schema) : undefined)} /> {text}
          </label>
        </legend>
        {on && <SchemaField {...props} schema={u.schema} label={text} />}
        {!on && <FieldErrors path={path} />}
      </fieldset>
    );
  }

  switch (w) {
    case 'text': {
      const max = (u.schema as unknown as { maxLength?: number | null }).maxLength ?? 0;
      const list = form.suggestions[name];
      const listId = list ? `suggest-${name}` : undefined;
      const str = typeof value === 'string' ? value : '';
      const set = (v: string) => onChange(v === '' && u.optional ? undefined : v);
      return (
        <Labelled label={text} path={path}>
          {(id) =>
            max >= 2000 ? (
              <textarea id={id} data-testid={`input-${path}`} value={str} rows={3} onChange={(e) => set(e.target.value)} />
            ) : (
              <>
                <input id={id} data-testid={`input-${path}`} value={str} list={listId} onChange={(e) => set(e.target.value)} />
                {list && (
                  <datalist id={listId}>
                    {list.map((s) => (
                      <option key={s} value={s} />
                    ))}
                  </datalist>
                )}
              </>
            )
          }
        </Labelled>
      );
    }
    case 'number': {
      const b = numberBounds(u.schema);
      return (
        <Labelled label={text} path={path}>
          {(id) => (
            <input
              id={id}
              type="number"
              data-testid={`input-${path}`}
              value={typeof value === 'number' ? value : ''}
              min={b.min}
              max={b.max}
              step={b.int ? 1 : 'any'}
              onChange={(e) => onChange(e.target.value === '' ? undefined : Number(e.target.value))}
            />
          )}
        </Labelled>
      );
    }
    case 'boolean':
      return (
        <div className="field field-check">
          <label className="check">
            <input type="checkbox" data-testid={`input-${path}`} checked={value === true} onChange={(e) => onChange(e.target.checked)} /> {text}
          </label>
          <FieldErrors path={path} />
        </div>
      );
    case 'enum':
      return (
        <Labelled label={text} path={path}>
          {(id) => (
            <select id={id} data-testid={`input-${path}`} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value === '' ? undefined : e.target.value)}>
              {(u.optional || typeof value !== 'string') && <option value="">—</option>}
              {enumOptions(u.schema).map((o) => (
                <option key={o} value={o}>
                  {t(`enums.${o}`, { defaultValue: o })}
                </option>
              ))}
            </select>
          )}
        </Labelled>
      );
    case 'time':
      return (
        <Labelled label={text} path={path}>
          {(id) => <input id={id} type="time" data-testid={`input-${path}`} value={typeof value === 'string' ? value : ''} onChange={(e) => onChange(e.target.value)} />}
        </Labelled>
      );
    case 'duration':
      return (
        <Labelled label={text} path={path}>
          {() => <DurationField value={value} onChange={onChange} path={path} />}
        </Labelled>
      );
    case 'condition':
      return (
        <fieldset className="group">
          <legend>{text}</legend>
          <ConditionBuilder value={value} onChange={onChange} path={path} />
          <FieldErrors path={path} />
        </fieldset>
      );
    case 'object':
      return (
        <fieldset className="group">
          <legend>{text}</legend>
          <ObjectFields schema={u.schema} value={value} onChange={onChange} path={path} />
          <FieldErrors path={path} />
        </fieldset>
      );
    case 'variant':
      return (
        <fieldset className="group">
          <legend>{text}</legend>
          <VariantFields schema={u.schema} value={value} onChange={onChange} path={path} />
          <FieldErrors path={path} />
        </fieldset>
      );
    case 'array':
      // Business days and a weekly schedule's weekday read better as the days of the week.
      if (name === 'weekdays') return <WeekdaysField value={value} onChange={onChange} path={path} label={text} />;
      return <ArrayField {...props} schema={u.schema} label={text} />;
    case 'scalar': {
      const shown = Array.isArray(value) ? value.map(String).join(', ') : value === undefined || value === null ? '' : String(value);
      return (
        <Labelled label={text} path={path}>
          {(id) => (
            <input
              id={id}
              data-testid={`input-${path}`}
              value={shown}
              onChange={(e) => {
                const raw = e.target.value;
                if (raw.trim() === '') return onChange(u.optional ? undefined : '');
                onChange(raw.includes(',') ? raw.split(',').map(parseScalar) : parseScalar(raw));
              }}
            />
          )}
        </Labelled>
      );
    }
    case 'json':
    default:
      return <JsonField label={text} value={value} onChange={onChange} path={path} />;
  }
}

/** Every field of an object schema except those named in `skip`. */
export function ObjectFields({ schema, value, onChange, path, skip = [] }: { schema: Schema; value: unknown; onChange: (v: unknown) => void; path: string; skip?: readonly string[] }) {
  const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  return (
    <>
      {Object.entries(shapeOf(schema))
        .filter(([k]) => !skip.includes(k))
        .map(([k, s]) => (
          <SchemaField
            key={k}
            schema={s}
            name={k}
            path={child(path, k)}
            value={obj[k]}
            onChange={(v) => {
              const next = { ...obj };
              if (v === undefined) delete next[k];
              else next[k] = v;
              onChange(next);
            }}
          />
        ))}
    </>
  );
}

/** A tagged union: choose the kind (trigger type, wait mode, rule type…), then its own fields. */
export function VariantFields({ schema, value, onChange, path, tagLabel }: { schema: Schema; value: unknown; onChange: (v: unknown) => void; path: string; tagLabel?: (tag: string) => string }) {
  const { t } = useTranslation();
  const label = useFieldLabel();
  const { discriminator, options } = variantsOf(schema);
  const obj = (typeof value === 'object' && value !== null ? value : {}) as Record<string, unknown>;
  const tag = String(obj[discriminator] ?? '');
  const chosen = options.find((o) => o.tag === tag);
  return (
    <>
      <div className="field">
        <label>{label(discriminator)}</label>
        <select
          data-testid={`input-${child(path, discriminator)}`}
          value={tag}
          onChange={(e) => {
            const option = options.find((o) => o.tag === e.target.value);
            if (option) onChange(defaultFor(option.schema));
          }}
        >
          {!chosen && <option value="">—</option>}
          {options.map((o) => (
            <option key={o.tag} value={o.tag}>
              {tagLabel ? tagLabel(o.tag) : t(`enums.${o.tag}`, { defaultValue: o.tag })}
            </option>
          ))}
        </select>
      </div>
      {chosen && <ObjectFields schema={chosen.schema} value={obj} onChange={onChange} path={path} skip={[discriminator]} />}
    </>
  );
}

function JsonField({ label, value, onChange, path }: { label: string; value: unknown; onChange: (v: unknown) => void; path: string }) {
  const { t } = useTranslation();
  const id = useId();
  const shown = JSON.stringify(value ?? {}, null, 2);
  return (
    <div className="field">
      <label htmlFor={id}>{label}</label>
      <textarea
        id={id}
        className="mono"
        rows={3}
        defaultValue={shown}
        data-testid={`input-${path}`}
        onBlur={(e) => {
          try {
            onChange(JSON.parse(e.target.value));
            e.target.setCustomValidity('');
          } catch {
            e.target.setCustomValidity(t('inspector.jsonInvalid'));
            e.target.reportValidity();
          }
        }}
      />
      <FieldErrors path={path} />
    </div>
  );
}
