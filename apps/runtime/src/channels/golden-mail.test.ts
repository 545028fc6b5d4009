import { stepMailCall } from '@nurtureflow/engine/golden';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eachRuntime } from '../testing.ts';
import { emailChannel, type EmailChannel } from './email.ts';
import { driveWithMail, startTestSmtp, type TestSmtp } from './testing.ts';

const TEMPLATES = {
  'step-1': { subject: '{{ lead.company }} {{ lead.name }} 様 資料のご案内', html: '<p>{{ lead.name }} 様</p><p><a href="https://example.com/whitepaper?utm_source=step1&amp;id={{ lead.id }}">資料を見る</a></p>' },
  'new-info': { subject: '新機能のお知らせ', html: '<p>{{ lead.name }} 様、新しい事例を公開しました。</p><a href="https://example.com/cases">事例</a>' },
};

describe('the golden step-mail scenario over SMTP', () => {
  eachRuntime('step-mail-call', (current) => {
    let smtp: TestSmtp;
    let channel: EmailChannel;
    beforeAll(async () => {
      smtp = await startTestSmtp();
    });
    afterAll(async () => {
      channel?.close();
      await smtp.stop();
    });

    it('delivers every step mail of the fixture to the SMTP server once, rendered for its lead', async () => {
      const t = current();
      channel = emailChannel(t.rt, { baseUrl: 'http://nf.test', smtpUrl: smtp.url });
      await driveWithMail(t, stepMailCall, [channel], TEMPLATES);

      const mine = smtp.received;
      // L1 and L3 get the first mail; L2 gets it and, with no appointment, "new info" twice.
      const byLead = (to: string) => mine.filter((m) => m.envelopeTo.includes(to)).map((m) => m.subject);
      expect(byLead('taro.yamada@example.co.jp')).toEqual(['株式会社サンプル 山田 太郎 様 資料のご案内']);
      expect(byLead('hanako.sato@example.jp')).toEqual(['(株)テスト商事 佐藤 花子 様 資料のご案内', '新機能のお知らせ', '新機能のお知らせ']);
      expect(byLead('ken.suzuki@example.com')).toEqual(['Example Inc. Ken Suzuki 様 資料のご案内']);

      // One message per outbox row, each carrying its row's key; every sendEmail row is sent.
      const rows = await t.rt.db.selectFrom('outbox').select(['key', 'status']).where('type', '=', 'sendEmail').execute();
      expect(rows).toHaveLength(5);
      expect(rows.every((r) => r.status === 'sent')).toBe(true);
      const counts = smtp.countByKey();
      for (const r of rows) expect(counts.get(r.key)).toBe(1);

      // The paths are the fixture's: sending mail changes nothing about where leads go.
      const runs = await t.call('GET', '/enrollments?scenarioId=step-call');
      const nodes = Object.fromEntries(runs.body.items.map((e: { leadId: string; nodeId: string }) => [e.leadId, e.nodeId]));
      expect(nodes).toEqual({ L1: 'g1', L2: 'c1', L3: 'x1' });

      const first = mine.find((m) => m.envelopeTo.includes('taro.yamada@example.co.jp'))!;
      expect(first.html).toContain('http://nf.test/t/c/');
      expect(first.html).not.toContain('https://example.com/whitepaper');
      expect(first.text).toContain('http://nf.test/t/c/');
      expect(first.listUnsubscribe).toMatch(/^<http:\/\/nf\.test\/u\/[^>]+>, <mailto:[^>]+>$/);
      expect(first.listUnsubscribePost).toBe('List-Unsubscribe=One-Click');
    });
  });
});
