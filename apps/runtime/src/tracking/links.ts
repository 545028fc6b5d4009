// Tracking added to a rendered message: every http(s) link becomes `/t/c/<token>` whose token
// carries the link's index in this message's own list (so a click can only ever lead to a URL that
// was in the message), an open pixel `/t/o/<token>` closes the HTML, and an unsubscribe footer is
// added unless the template placed `{{ unsubscribe_url }}` itself.
import { textFromHtml } from '../templates/render.ts';
import type { Signer } from './tokens.ts';

/** The message as sent: HTML and text with tracked links, and the original URLs by index. */
export interface Tracked {
  html: string;
  text: string;
  links: string[];
}

/** Who and what the tokens are for. */
export interface TrackingTarget {
  /** The public base URL, without a trailing slash. */
  baseUrl: string;
  signer: Signer;
  leadId: string;
  key: string;
  unsubscribeUrl: string;
  productLineName: string;
}

const ANCHOR = /<a\b[^>]*>/gi;
const HREF = /(\bhref\s*=\s*)(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))/i;
const TEXT_URL = /https?:\/\/[^\s<>"'）」』】]+/g;

/** The unsubscribe link a message carries for its product line. */
export function unsubscribeUrl(baseUrl: string, signer: Signer, leadId: string, key: string, productLine: string): string {
  return `${baseUrl}/u/${signer.sign({ kind: 'unsubscribe', leadId, key, productLine })}`;
}

/** Rewrites links, adds the pixel and the unsubscribe footer, and makes (or rewrites) the text part. */
export function addTracking(html: string, text: string | null, target: TrackingTarget): Tracked {
  const links: string[] = [];
  const indexOf = new Map<string, number>();
  const tracked = (url: string) => {
    let i = indexOf.get(url);
    if (i === undefined) {
      i = links.push(url) - 1;
      indexOf.set(url, i);
    }
    return `${target.baseUrl}/t/c/${target.signer.sign({ kind: 'click', leadId: target.leadId, key: target.key, index: i })}`;
  };
  const own = `${target.baseUrl}/u/`;
  const trackable = (url: string) => /^https?:\/\//i.test(url) && url.length <= 4_000 && !url.startsWith(own);

  let out = html.replace(ANCHOR, (tag) =>
    tag.replace(HREF, (whole, prefix: string, dq?: string, sq?: string, bare?: string) => {
      const url = decodeEntities((dq ?? sq ?? bare ?? '').trim());
      return trackable(url) ? `${prefix}"${tracked(url)}"` : whole;
    }),
  );
  const hasUnsubscribe = out.includes(target.unsubscribeUrl);
  if (!hasUnsubscribe) out = beforeBodyEnd(out, footerHtml(target));
  const pixel = `${target.baseUrl}/t/o/${target.signer.sign({ kind: 'open', leadId: target.leadId, key: target.key })}`;
  out = beforeBodyEnd(out, `<img src="${pixel}" width="1" height="1" alt="" style="display:block;width:1px;height:1px;border:0">`);

  let plain: string;
  if (text === null) plain = textFromHtml(out);
  else {
    plain = text.replace(TEXT_URL, (url) => (trackable(url) ? tracked(url) : url));
    if (!plain.includes(target.unsubscribeUrl)) plain = `${plain.trimEnd()}\n\n${footerText(target)}\n`;
  }
  return { html: out, text: plain, links };
}

function footerHtml(t: TrackingTarget): string {
  const name = escapeHtml(t.productLineName);
  return (
    `<p style="margin-top:24px;font-size:12px;color:#666">` +
    `${name}からのメール配信を停止するには<a href="${t.unsubscribeUrl}">こちら</a>。` +
    `<br>To stop ${name} e-mails, <a href="${t.unsubscribeUrl}">unsubscribe</a>.</p>`
  );
}

function footerText(t: TrackingTarget): string {
  return `--\n${t.productLineName}からのメール配信停止 / Unsubscribe: ${t.unsubscribeUrl}`;
}

function beforeBodyEnd(html: string, fragment: string): string {
  const at = html.search(/<\/body\s*>/i);
  return at < 0 ? html + fragment : html.slice(0, at) + fragment + html.slice(at);
}

/** HTML-escapes text for an element or a double-quoted attribute. */
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

// The URL an attribute stands for: liquid's escaping turned `&` in merged values into `&amp;`.
function decodeEntities(s: string): string {
  return s.replace(/&(#x[0-9a-f]+|#[0-9]+|amp|lt|gt|quot|apos|#39);/gi, (m, e: string) => {
    const lower = e.toLowerCase();
    if (lower.startsWith('#')) {
      const code = lower.startsWith('#x') ? parseInt(lower.slice(2), 16) : parseInt(lower.slice(1), 10);
      return code > 0 && code <= 0x10ffff ? String.fromCodePoint(code) : m;
    }
    return ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[lower] ?? m;
  });
}
