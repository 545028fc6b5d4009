// The demo scenario's two mails ("welcome", "reminder"), so a newcomer's first start shows real
// rendered messages in the local mailbox instead of failed rows for missing templates.
import { DEMO_PRODUCT_LINE } from '../seed.ts';
import type { Runtime } from '../runtime.ts';

const FOOT = '<p>{{ sender.name }}<br>{{ sender.email }}</p>';

const TEMPLATES = [
  {
    id: 'welcome',
    name: '資料請求のお礼',
    subject: '{{ lead.company }} {{ lead.name }} 様 資料請求ありがとうございます',
    html:
      '<p>{{ lead.company }}<br>{{ lead.name }} 様</p>' +
      '<p>このたびは{{ product_line.name }}の資料をご請求いただき、ありがとうございます。</p>' +
      '<p><a href="https://example.com/crm-cloud/whitepaper.pdf">資料をダウンロード</a></p>' +
      '<p>導入事例は<a href="https://example.com/crm-cloud/cases">こちら</a>からご覧いただけます。</p>' +
      FOOT,
  },
  {
    id: 'reminder',
    name: '導入事例のご紹介',
    subject: '{{ lead.name }} 様 導入事例のご紹介',
    html:
      '<p>{{ lead.name }} 様</p><p>先日お送りした資料はご覧いただけましたでしょうか。同じ業界のお客様の導入事例をご紹介します。</p>' +
      '<p><a href="https://example.com/crm-cloud/cases">導入事例を見る</a></p>' +
      FOOT,
  },
];

/** Adds the demo scenario's templates to the demo product line when it exists and lacks them. */
export async function seedDemoTemplates(rt: Runtime): Promise<void> {
  const pl = await rt.db.selectFrom('product_lines').select('id').where('id', '=', DEMO_PRODUCT_LINE).executeTakeFirst();
  if (!pl) return;
  const at = new Date(rt.clock.now());
  await rt.db
    .insertInto('templates')
    .values(TEMPLATES.map((t) => ({ product_line: DEMO_PRODUCT_LINE, id: t.id, name: t.name, subject: t.subject, html: t.html, text: null, created_at: at, updated_at: at })))
    .onConflict((oc) => oc.columns(['product_line', 'id']).doNothing())
    .execute();
}
