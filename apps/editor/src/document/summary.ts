// The essentials of a node at a glance, in the marketer's language: "Wait 3 business days",
// "Email: 導入事例のご紹介", "Split A 50% / B 50%".
import type { NodeKind } from '@nurtureflow/scenario';
import type { NodeData } from './types.ts';

/** A translate function (i18next's `t`, or a stand-in in tests). */
export type Translate = (key: string, options?: Record<string, unknown>) => string;

const str = (v: unknown): string => (typeof v === 'string' ? v : '');
const num = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? v : 0);
const obj = (v: unknown): Record<string, unknown> => (typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as Record<string, unknown>) : {});
const arr = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);

/** A duration in words: "3 business days", "3営業日". */
export function durationText(t: Translate, d: unknown): string {
  const { amount, unit } = obj(d);
  const u = typeof unit === 'string' ? unit : 'days';
  return t(`duration.${u}`, { count: num(amount) });
}

/** An event kind in words, or the kind itself for custom events. */
export function eventText(t: Translate, event: unknown): string {
  const e = str(event);
  if (e === '*') return t('events.any');
  const key = `events.${e}`;
  const text = t(key);
  return text === key ? e : text;
}

/** Percentages of weights, rounded so they read well; equal weights read as equal shares. */
export function percentages(weights: readonly number[]): number[] {
  const total = weights.reduce((a, b) => a + Math.max(0, b), 0);
  if (total <= 0) return weights.map(() => 0);
  return weights.map((w) => Math.round((Math.max(0, w) / total) * 1000) / 10);
}

/** One line saying what a node does, from its kind and fields. */
export function nodeSummary(t: Translate, kind: NodeKind, data: NodeData): string {
  switch (kind) {
    case 'trigger': {
      const tr = obj(data['trigger']);
      switch (tr['type']) {
        case 'event':
          return t('summary.triggerEvent', { event: eventText(t, tr['event']) });
        case 'segment':
          return t('summary.triggerSegment');
        case 'score':
          return t('summary.triggerScore', { min: num(tr['min']) });
        case 'rank':
          return t('summary.triggerRank', { ranks: arr(tr['ranks']).map(String).join('/') });
        case 'import':
          return t('summary.triggerImport');
        case 'manual':
          return t('summary.triggerManual');
        case 'schedule':
          return t('summary.triggerSchedule', { every: t(`summary.every.${str(tr['every']) || 'day'}`), at: str(tr['at']) });
        default:
          return t('kinds.trigger');
      }
    }
    case 'email': {
      const subject = str(data['subject']) || str(data['template']);
      return subject ? t('summary.email', { subject }) : t('summary.emailNoTemplate');
    }
    case 'directMail':
      return t('summary.directMail', { medium: t(`enums.${str(data['medium']) || 'mail'}`), template: str(data['template']) || '—' });
    case 'webhook':
      return t('summary.webhook', { channel: str(data['channel']) || 'webhook' });
    case 'callTask': {
      const due = obj(data['dueIn']);
      const attempts = num(data['maxAttempts']) || 3;
      return num(due['amount']) > 0 ? t('summary.callTask', { due: durationText(t, due), attempts }) : t('summary.callTaskNow', { attempts });
    }
    case 'handoff':
      return t('summary.handoff', { to: str(data['to']) || 'sales' });
    case 'wait': {
      const w = obj(data['wait']);
      if (w['mode'] === 'until') return t(w['businessDaysOnly'] === true ? 'summary.waitUntilBusiness' : 'summary.waitUntil', { time: str(w['time']) });
      return t('summary.waitFor', { duration: durationText(t, w['duration']) });
    }
    case 'waitForEvent':
      return t('summary.waitForEvent', { event: eventText(t, data['event']), duration: durationText(t, data['timeout']) });
    case 'branch':
      return t('summary.branch', { count: arr(data['cases']).length });
    case 'split': {
      const variants = arr(data['variants']).map(obj);
      const pct = percentages(variants.map((v) => num(v['weight'])));
      const parts = variants.map((v, i) => `${str(v['label']) || str(v['id'])} ${pct[i]}%${v['holdout'] === true ? ` (${t('summary.holdout')})` : ''}`);
      return t('summary.split', { parts: parts.join(' / ') });
    }
    case 'score': {
      const p = num(data['points']);
      return t('summary.score', { points: p >= 0 ? `+${p}` : `${p}` });
    }
    case 'update':
      return t('summary.update', {
        changes: arr(data['changes'])
          .map(obj)
          .map((c) => t(`summary.${str(c['op']) || 'addTag'}`, { key: str(c['key']), rank: str(c['rank']), stage: t(`enums.${str(c['stage'])}`), tag: str(c['tag']) }))
          .join(', '),
      });
    case 'move':
      return t('summary.move', { scenario: [str(data['productLine']), str(data['scenarioId']) || '—'].filter(Boolean).join(' / ') });
    case 'goal':
      return t('summary.goal', { goal: str(data['goal']) });
    case 'exit':
      return str(data['reason']) ? t('summary.exitReason', { reason: str(data['reason']) }) : t('summary.exit');
  }
}
