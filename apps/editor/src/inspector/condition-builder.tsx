// The condition builder for branch cases, segments, audiences and goals: rules on attributes,
// score, rank, stage, tags and event history, combined with "all of" / "any of" and negated.
import { predicateSchema, type Condition } from '@nurtureflow/scenario';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { child } from './form-context.ts';
import { DEFAULT_CONDITION } from './introspect.ts';
import { VariantFields } from './schema-field.tsx';

type Group = { all: Condition[] } | { any: Condition[] };

const isGroup = (c: unknown): c is Group => typeof c === 'object' && c !== null && (Array.isArray((c as { all?: unknown }).all) || Array.isArray((c as { any?: unknown }).any));
const isNot = (c: unknown): c is { not: Condition } => typeof c === 'object' && c !== null && 'not' in c;
const membersOf = (g: Group): Condition[] => ('all' in g ? g.all : g.any);

/** A whole condition: a single rule, or a group of rules. */
export function ConditionBuilder({ value, onChange, path }: { value: unknown; onChange: (v: unknown) => void; path: string }) {
  if (isGroup(value)) return <GroupEditor value={value} onChange={onChange} path={path} />;
  // A single rule is shown as a group of one, so adding a second rule needs no extra step.
  const rule = (value ?? DEFAULT_CONDITION) as Condition;
  return (
    <GroupEditor
      value={{ all: [rule] }}
      single
      onChange={(g) => {
        const members = membersOf(g as Group);
        onChange(members.length === 1 && 'all' in (g as Group) ? members[0] : g);
      }}
      path={path}
    />
  );
}

function GroupEditor({ value, onChange, path, single }: { value: Group; onChange: (v: unknown) => void; path: string; single?: boolean }) {
  const { t } = useTranslation();
  const mode = 'all' in value ? 'all' : 'any';
  const members = membersOf(value);
  const set = (next: Condition[], m: 'all' | 'any' = mode) => onChange(m === 'all' ? { all: next } : { any: next });
  // A lone rule is stored bare, so its problems are named without the group's step in the path.
  const memberPath = (i: number) => (single ? path : child(child(path, mode), i));
  return (
    <div className="condition-group" data-testid={`condition-${path}`}>
      {members.length > 1 && (
        <select className="group-mode" value={mode} onChange={(e) => set(members, e.target.value as 'all' | 'any')} aria-label={t('condition.all')}>
          <option value="all">{t('condition.all')}</option>
          <option value="any">{t('condition.any')}</option>
        </select>
      )}
      {members.map((c, i) => (
        <div key={i} className="condition-row">
          <ConditionRow
            value={c}
            path={members.length === 1 && single ? path : memberPath(i)}
            onChange={(v) => set(members.map((x, j) => (j === i ? (v as Condition) : x)))}
          />
          {members.length > 1 && (
            <button type="button" className="danger" title={t('inspector.remove')} onClick={() => set(members.filter((_, j) => j !== i))}>
              ×
            </button>
          )}
        </div>
      ))}
      <div className="condition-actions">
        <button type="button" data-testid={`add-rule-${path}`} onClick={() => set([...members, structuredClone(DEFAULT_CONDITION)])}>
          + {t('condition.addRule')}
        </button>
        <button type="button" onClick={() => set([...members, { any: [structuredClone(DEFAULT_CONDITION)] }])}>
          + {t('condition.addGroup')}
        </button>
      </div>
    </div>
  );
}

function ConditionRow({ value, onChange, path }: { value: Condition; onChange: (v: unknown) => void; path: string }) {
  const { t } = useTranslation();
  const negated = isNot(value);
  const inner = negated ? value.not : value;
  const innerPath = negated ? child(path, 'not') : path;
  const wrap = (v: unknown) => onChange(negated ? { not: v } : v);
  return (
    <div className={`condition-rule${negated ? ' negated' : ''}`}>
      <label className="check negate">
        <input type="checkbox" checked={negated} onChange={(e) => onChange(e.target.checked ? { not: inner } : inner)} /> {t('condition.not')}
      </label>
      {isGroup(inner) ? (
        <GroupEditor value={inner} onChange={wrap} path={innerPath} />
      ) : (
        <VariantFields
          schema={predicateSchema as unknown as z.ZodType}
          value={inner}
          onChange={wrap}
          path={innerPath}
          tagLabel={(tag) => t(`condition.types.${tag}`, { defaultValue: tag })}
        />
      )}
    </div>
  );
}
