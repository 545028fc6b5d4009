// How the sales view writes people, numbers and times: names as they were given (Japanese names keep
// their order and space, with 様 in Japanese), phone numbers as typed with a dialable tel: link,
// times in the reader's language, and what a lead did in words rather than event codes.
import type { Language } from '../i18n/index.ts';
import type { LeadCard, RecentEvent, ScoreEntry } from './api.ts';

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** The fields of a lead card that may be missing (a lead deleted or merged reads as its id). */
function card(lead: LeadCard | { id: string }): Partial<LeadCard> & { id: string } {
  return lead;
}

/**
 * The name sales address the lead by: the name as given, with 様 in Japanese; the e-mail address
 * when there is no name, else the id.
 */
export function leadName(lead: LeadCard | { id: string }, language: Language): string {
  const c = card(lead);
  const name = c.name?.trim();
  if (name) return language === 'ja' ? `${name} 様` : name;
  return c.email ?? c.id;
}

/** The company as given, or null. */
export function leadCompany(lead: LeadCard | { id: string }): string | null {
  return card(lead).company?.trim() || null;
}

/**
 * A tel: link for a phone number as people write it in Japan (03-1234-5678, ０３（１２３４）５６７８,
 * +81 3 1234 5678): full-width characters folded, everything but digits and a leading + dropped.
 * Null when no digits are left.
 */
export function telHref(phone: string | null | undefined): string | null {
  if (!phone) return null;
  const folded = phone.normalize('NFKC').trim();
  const digits = folded.replace(/[^\d]/g, '');
  if (digits === '') return null;
  return `tel:${folded.startsWith('+') ? '+' : ''}${digits}`;
}

/** A time in the reader's language: 2026/04/05 9:00 in Japanese, Apr 5, 2026, 9:00 AM in English. */
export function formatTime(iso: string, language: Language, timeZone?: string): string {
  return new Intl.DateTimeFormat(language === 'ja' ? 'ja-JP' : 'en-US', { dateStyle: 'medium', timeStyle: 'short', ...(timeZone ? { timeZone } : {}) }).format(new Date(iso));
}

/** How long ago, in words: 3日前 / 3 days ago; minutes under an hour, hours under a day, then days. */
export function ago(iso: string, now: number, language: Language): string {
  const rtf = new Intl.RelativeTimeFormat(language === 'ja' ? 'ja-JP' : 'en-US', { numeric: 'auto' });
  const minutes = Math.round((Date.parse(iso) - now) / 60_000);
  if (Math.abs(minutes) < 60) return rtf.format(minutes, 'minute');
  const hours = Math.round(minutes / 60);
  if (Math.abs(hours) < 24) return rtf.format(hours, 'hour');
  return rtf.format(Math.round(hours / 24), 'day');
}

/** An event kind in words (its catalogue name, or the kind itself for a custom one). */
export function eventName(kind: string, t: Translate): string {
  return t(`events.${kind}`, { defaultValue: kind });
}

/** The details of an event worth showing beside its name: a page's path, a call's outcome, a note. */
export function eventDetail(e: Pick<RecentEvent, 'data'>): string {
  const d = e.data ?? {};
  const parts: string[] = [];
  for (const key of ['path', 'url', 'title', 'outcome', 'note']) {
    const v = d[key];
    if (typeof v === 'string' && v !== '') parts.push(v);
    else if (typeof v === 'number') parts.push(String(v));
  }
  return parts.join(' · ');
}

/** What earned (or cost) the points of one score change, in words. */
export function scoreReason(entry: ScoreEntry, t: Translate): string {
  switch (entry.source) {
    case 'event':
      return entry.kind ? eventName(entry.kind, t) : t('sales.reason.event');
    case 'scenario':
      return entry.reason ? entry.reason : t('sales.reason.scenario', { scenario: entry.scenarioId ?? '', node: entry.nodeId ?? '' });
    case 'decay':
      return t('sales.reason.decay');
  }
}

/** Points with their sign: +20, −10, ±0. */
export function signed(points: number): string {
  return points > 0 ? `+${points}` : points < 0 ? `−${Math.abs(points)}` : '±0';
}
