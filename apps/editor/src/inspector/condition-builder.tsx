// The condition builder for branch cases, segments, audiences and goals: rules on attributes,
// score, rank, stage, tags and event history, combined with "all of" / "any of" and negated.
import { predicateSchema, type Condition } from '@nurtureflow/scenario';
import { useTranslation } from 'react-i18next';
import type { z } from 'zod';
import { addGroup, addRule, fromGroup, groupOf, isGroup, isNot, membersOf, modeOf, removeAt, replaceAt, toGroup, toggleNot, type Group } from './condition-model.ts';
import { child } from './form-context.ts';
import { VariantFields } from './schema-field.tsx';

/** A whole condition: a single rule, or a group of rules. */
export function ConditionBuilder({ value, onChange, path }: { value: unknown; onChange: (v: unknown) => void; path: string }) {
  const { group, single } = toGroup(value);
  return <GroupEditor value={group} single={single} onChange={(g) => onChange(fromGroup(g))} path={path} />;
}

function GroupEditor({ value, onChange, path, single }: { value: Group; onChange: (g: Group) => void; path: string; single?: boolean }) {
  const { t } = useTranslation();
  const mode = modeOf(value);
  const members = membersOf(value);
  // A lone rule is stored bare, so its problems are named without the group's step in the path.
  const memberPath = (i: number) => (single ? path : child(child(path, mode), i));
  return (
    <div className="condition-group" data-testid={`condition-${path}`}>
      {members.length > 1 && (
        <select className="group-mode" value={mode} onChange={(e) => onChange(groupOf(members, e.target.value as 'all' | 'any'))} aria-label={t('condition.all')}>
          <option value="all">{t('condition.all')}</option>
          <option value="any">{t('condition.any')}</option>
        </select>
      )}
      {members.map((c, i) => (
        <div key={i} className="condition-row">
          <ConditionRow value={c} path={memberPath(i)} onChange={(v) => onChange(replaceAt(value, i, v))} />
          {members.length > 1 && (
            <button type="button" className="danger" title={t('inspector.remove')} onClick={() => onChange(removeAt(value, i))}>
              ×
            </button>
          )}
        </div>
      ))}
      <div className="condition-actions">
        <button type="button" data-testid={`add-rule-${path}`} onClick={() => onChange(addRule(value))}>
          + {t('condition.addRule')}
        </button>
        <button type="button" onClick={() => onChange(addGroup(value))}>
          + {t('condition.addGroup')}
        </button>
      </div>
    </div>
  );
}

function ConditionRow({ value, onChange, path }: { value: Condition; onChange: (v: Condition) => void; path: string }) {
  const { t } = useTranslation();
  const negated = isNot(value);
  const inner = negated ? value.not : value;
  const innerPath = negated ? child(path, 'not') : path;
  const wrap = (v: unknown) => onChange(negated ? { not: v as Condition } : (v as Condition));
  return (
    <div className={`condition-rule${negated ? ' negated' : ''}`}>
      <label className="check negate">
        <input type="checkbox" checked={negated} onChange={() => onChange(toggleNot(value))} /> {t('condition.not')}
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
