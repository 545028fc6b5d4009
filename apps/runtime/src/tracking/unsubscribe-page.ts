// The small bilingual pages a recipient sees behind the unsubscribe link. Opening the link only
// shows the page (mail scanners open links); the buttons POST, as the one-click header does.
import { escapeHtml } from './links.ts';

function page(title: string, body: string): string {
  return `<!doctype html><html lang="ja"><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<meta name="robots" content="noindex"><title>${title}</title>
<style>body{font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif;max-width:34rem;margin:3rem auto;padding:0 1rem;color:#222;line-height:1.6}
button{font:inherit;padding:.6rem 1rem;margin:.4rem 0;border-radius:6px;border:1px solid #888;background:#fff;cursor:pointer;width:100%}
button.primary{background:#1f5fbf;border-color:#1f5fbf;color:#fff}.en{color:#555}</style>
${body}</html>`;
}

/** The confirmation page: unsubscribe from this product line, or from everything. */
export function confirmPage(productLineName: string): string {
  const name = escapeHtml(productLineName);
  return page(
    '配信停止 / Unsubscribe',
    `<h1>配信停止 <span class="en">/ Unsubscribe</span></h1>
<p>「${name}」からのメール配信を停止しますか？<br><span class="en">Stop e-mails about ${name}?</span></p>
<form method="post"><input type="hidden" name="scope" value="productLine">
<button class="primary" type="submit">「${name}」の配信を停止する / Unsubscribe from ${name}</button></form>
<form method="post"><input type="hidden" name="scope" value="all">
<button type="submit">すべてのメール配信を停止する / Unsubscribe from all e-mails</button></form>`,
  );
}

/** What the recipient sees after unsubscribing. */
export function donePage(productLineName: string, all: boolean): string {
  const name = escapeHtml(productLineName);
  return page(
    '配信を停止しました / Unsubscribed',
    all
      ? `<h1>配信を停止しました</h1><p>今後、すべてのメールをお送りしません。<br><span class="en">You will receive no more e-mails from us.</span></p>`
      : `<h1>配信を停止しました</h1><p>今後、「${name}」に関するメールをお送りしません。<br><span class="en">You will receive no more e-mails about ${name}.</span></p>`,
  );
}

/** A link that is not (or no longer) valid. */
export function invalidPage(): string {
  return page('リンクが無効です / Invalid link', `<h1>リンクが無効です</h1><p class="en">This link is not valid.</p>`);
}
