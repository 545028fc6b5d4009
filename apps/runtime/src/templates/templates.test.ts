import { expect, it } from 'vitest';
import { ok, refusedUnchanged } from '../routes/testing.ts';
import { eachRuntime, type TestRuntime } from '../testing.ts';

const WELCOME = {
  id: 'welcome',
  name: 'ようこそ',
  subject: '{{ lead.company }} {{ lead.name }} 様へ',
  html: '<h1>{{ lead.name }} 様</h1><p>{{ lead.company }}のご担当者様、{{ product_line.name }}をご検討いただきありがとうございます。</p><p>業種: {{ lead.attributes.industry | default: "未設定" }}</p><p><a href="https://example.com/docs">資料</a></p><p>{{ sender.name }}</p>',
};

async function productLine(t: TestRuntime, id: string) {
  if ((await t.call('GET', `/product-lines/${id}`)).status === 404) {
    await ok(t, 'POST', '/product-lines', { id, name: 'CRMクラウド', settings: { sender: { name: 'CRMクラウド事務局', email: 'info@crm.example.jp' } } });
  }
}

eachRuntime('templates', (current) => {
  it('are created, listed, read and replaced per product line', async () => {
    const t = current();
    await productLine(t, 'tpl-a');
    const created = await ok(t, 'POST', '/product-lines/tpl-a/templates', WELCOME, 201);
    expect(created).toMatchObject({ productLine: 'tpl-a', id: 'welcome', name: 'ようこそ', text: null });
    expect((await ok(t, 'GET', '/product-lines/tpl-a/templates')).templates.map((x: { id: string }) => x.id)).toEqual(['welcome']);
    const replaced = await ok(t, 'PUT', '/product-lines/tpl-a/templates/welcome', { name: '改訂', subject: 'hi', html: '<p>x</p>', text: 'x' }, 200);
    expect(replaced).toMatchObject({ name: '改訂', subject: 'hi', text: 'x', createdAt: created.createdAt });
    expect(await ok(t, 'GET', '/product-lines/tpl-a/templates/welcome')).toEqual(replaced);
    // PUT creates a template that does not exist yet.
    await ok(t, 'PUT', '/product-lines/tpl-a/templates/other', { name: 'other', subject: 's', html: '<p>o</p>' }, 200);
  });

  it('preview escapes HTML in merge fields and generates the text part from the HTML', async () => {
    const t = current();
    await productLine(t, 'tpl-b');
    await ok(t, 'POST', '/product-lines/tpl-b/templates', WELCOME, 201);
    await ok(t, 'POST', '/leads', { id: 'xss', email: 'x@example.jp', name: '<script>alert(1)</script>', company: 'A & B <b>Corp</b>', attributes: { industry: '"製造"' } });

    const p = await ok(t, 'POST', '/product-lines/tpl-b/templates/welcome/preview', { leadId: 'xss' });
    expect(p.html).toContain('<h1>&lt;script&gt;alert(1)&lt;/script&gt; 様</h1>');
    expect(p.html).toContain('A &amp; B &lt;b&gt;Corp&lt;/b&gt;のご担当者様');
    expect(p.html).toContain('業種: &#34;製造&#34;');
    expect(p.html).not.toContain('<script>');
    // The subject and the text are not HTML: they read as the lead's name is written.
    expect(p.subject).toBe('A & B <b>Corp</b> <script>alert(1)</script> 様へ');
    expect(p.textGenerated).toBe(true);
    expect(p.text).toContain('<script>alert(1)</script> 様');
    expect(p.text).toContain('資料 <https://example.com/docs>');
    expect(p.text).toContain('CRMクラウド事務局');

    const inline = await ok(t, 'POST', '/product-lines/tpl-b/templates/welcome/preview', { lead: { name: '佐藤 花子', company: '(株)テスト' } });
    expect(inline.subject).toBe('(株)テスト 佐藤 花子 様へ');
    expect(inline.html).toContain('業種: 未設定');
    const sample = await ok(t, 'POST', '/product-lines/tpl-b/templates/welcome/preview', {});
    expect(sample.subject).toBe('株式会社サンプル 山田 太郎 様へ');
  });

  it('refuses bad Liquid with a 400 naming the field, and writes nothing', async () => {
    const t = current();
    await productLine(t, 'tpl-c');
    const cases: [unknown, string][] = [
      [{ ...WELCOME, id: 'bad1', html: '<p>{% if lead.name %}unclosed</p>' }, 'body.html'],
      [{ ...WELCOME, id: 'bad2', subject: 'Hello {{ lead.name ' }, 'body.subject'],
      [{ ...WELCOME, id: 'bad3', text: '{{ lead.name | no_such_filter }}' }, 'body.text'],
    ];
    for (const [body, field] of cases) {
      const res = await refusedUnchanged(t, 400, ['POST', '/product-lines/tpl-c/templates', body], field);
      expect(res.body.error.code).toBe('template_syntax');
    }
    await refusedUnchanged(t, 400, ['PUT', '/product-lines/tpl-c/templates/x', { name: 'x', subject: '{% for %}', html: '<p/>' }], 'body.subject');
    expect((await ok(t, 'GET', '/product-lines/tpl-c/templates')).templates).toEqual([]);
  });

  it('answers 404 for unknown product lines, templates and leads, and 409 for a taken id', async () => {
    const t = current();
    await productLine(t, 'tpl-d');
    await ok(t, 'POST', '/product-lines/tpl-d/templates', WELCOME, 201);
    expect((await t.call('POST', '/product-lines/tpl-d/templates', WELCOME)).status).toBe(409);
    expect((await t.call('POST', '/product-lines/nope/templates', WELCOME)).status).toBe(404);
    expect((await t.call('GET', '/product-lines/nope/templates')).status).toBe(404);
    expect((await t.call('GET', '/product-lines/tpl-d/templates/nope')).status).toBe(404);
    expect((await t.call('POST', '/product-lines/tpl-d/templates/nope/preview', {})).status).toBe(404);
    const noLead = await t.call('POST', '/product-lines/tpl-d/templates/welcome/preview', { leadId: 'nobody' });
    expect(noLead.status).toBe(404);
    expect(noLead.body.error.issues[0].path).toBe('body.leadId');
  });

  it('cannot read files from the server', async () => {
    const t = current();
    await productLine(t, 'tpl-e');
    await ok(t, 'POST', '/product-lines/tpl-e/templates', { id: 'inc', name: 'inc', subject: 's', html: '{% include "/etc/passwd" %}' }, 201);
    const res = await t.call('POST', '/product-lines/tpl-e/templates/inc/preview', {});
    expect(res.status).toBe(422);
    expect(JSON.stringify(res.body)).not.toContain('root:');
  });
});
