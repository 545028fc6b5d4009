import { describe, expect, it } from 'vitest';
import { ago, eventDetail, formatTime, leadCompany, leadName, scoreReason, signed, telHref } from './format.ts';

const lead = { id: 'ld_1', email: 'sakamoto@sakura.example.jp', name: '坂本 美咲', company: '株式会社サクラ精機', phone: '03-1234-5678', tags: [], score: 65, rank: 'B', stage: 'prospect', hot: true };
const t = (key: string, options?: Record<string, unknown>) => (key === 'events.page_visited' ? 'ページ閲覧' : key.startsWith('events.') ? String(options?.['defaultValue']) : `${key}${options ? JSON.stringify(options) : ''}`);

describe('how the sales view writes a lead', () => {
  it('keeps a Japanese name as given, family name first, with 様 in Japanese', () => {
    expect(leadName(lead, 'ja')).toBe('坂本 美咲 様');
    expect(leadName(lead, 'en')).toBe('坂本 美咲');
    expect(leadCompany(lead)).toBe('株式会社サクラ精機');
  });

  it('falls back to the e-mail address, then the id', () => {
    expect(leadName({ ...lead, name: '  ' }, 'ja')).toBe('sakamoto@sakura.example.jp');
    expect(leadName({ id: 'ld_9' }, 'ja')).toBe('ld_9');
    expect(leadCompany({ id: 'ld_9' })).toBeNull();
  });

  it('dials phone numbers as written in Japan, full-width and with brackets included', () => {
    expect(telHref('03-1234-5678')).toBe('tel:0312345678');
    expect(telHref('０３（１２３４）５６７８')).toBe('tel:0312345678');
    expect(telHref('+81 3-1234-5678')).toBe('tel:+81312345678');
    expect(telHref('内線なし')).toBeNull();
    expect(telHref(null)).toBeNull();
  });

  it('writes times in the reader’s language', () => {
    expect(formatTime('2026-04-05T00:00:00Z', 'ja', 'Asia/Tokyo')).toBe('2026/04/05 9:00');
    expect(formatTime('2026-04-05T00:00:00Z', 'en', 'Asia/Tokyo')).toBe('Apr 5, 2026, 9:00 AM');
    const now = Date.parse('2026-04-06T00:00:00Z');
    expect(ago('2026-04-03T00:00:00Z', now, 'ja')).toBe('3 日前');
    expect(ago('2026-04-05T21:00:00Z', now, 'en')).toBe('3 hours ago');
    expect(ago('2026-04-05T23:55:00Z', now, 'ja')).toBe('5 分前');
  });

  it('says what earned the points', () => {
    expect(scoreReason({ at: '', points: 15, score: 65, source: 'event', kind: 'page_visited' }, t)).toBe('ページ閲覧');
    expect(scoreReason({ at: '', points: 5, score: 5, source: 'event', kind: 'trial_started' }, t)).toBe('trial_started');
    expect(scoreReason({ at: '', points: 50, score: 65, source: 'scenario', reason: '個別相談会に参加' }, t)).toBe('個別相談会に参加');
    expect(scoreReason({ at: '', points: -10, score: 40, source: 'decay' }, t)).toBe('sales.reason.decay');
    expect([signed(20), signed(-10), signed(0)]).toEqual(['+20', '−10', '±0']);
    expect(eventDetail({ data: { path: '/pricing', utm: 'x' } })).toBe('/pricing');
    expect(eventDetail({ data: { outcome: 'appointment', note: '来週訪問' } })).toBe('appointment · 来週訪問');
  });
});
