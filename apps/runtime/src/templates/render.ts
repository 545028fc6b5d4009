// Templates are Liquid (liquidjs) with every output HTML-escaped by default: a lead named
// `<script>` cannot inject markup into a mail. Authors who mean to insert HTML write `| raw`.
// Templates cannot read files (no includes from disk) and render under time and memory limits, so a
// marketer's template can neither leak the server's files nor stall the dispatcher.
import { compile as compileHtmlToText } from 'html-to-text';
import { Liquid, type Template } from 'liquidjs';

/** A template's fields as stored. */
export interface TemplateSource {
  subject: string;
  html: string;
  text: string | null;
}

/** A template parsed once, rendered many times. */
export interface CompiledTemplate {
  subject: Template[];
  html: Template[];
  text: Template[] | null;
}

/** A rendered message before tracking: subject, HTML, and the authored text part or null. */
export interface Rendered {
  subject: string;
  html: string;
  /** The authored plain-text part, rendered; null when the text is to be generated from the HTML. */
  text: string | null;
}

/** A template field that does not parse, with liquidjs's message (which names the line and column). */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly field: 'subject' | 'html' | 'text',
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

const liquid = new Liquid({
  outputEscape: 'escape',
  // An in-memory (empty) template map: `{% include %}` and `{% render %}` never touch the disk.
  templates: {},
  strictFilters: true,
  ownPropertyOnly: true,
  parseLimit: 1_000_000,
  renderLimit: 1_000,
  memoryLimit: 50_000_000,
  timezoneOffset: 'Asia/Tokyo',
});

/** Parses every field; throws TemplateSyntaxError naming the first field that does not parse. */
export function compileTemplate(source: TemplateSource): CompiledTemplate {
  const parse = (field: 'subject' | 'html' | 'text', text: string) => {
    try {
      return liquid.parse(text);
    } catch (e) {
      throw new TemplateSyntaxError(field, e instanceof Error ? e.message : String(e));
    }
  };
  return { subject: parse('subject', source.subject), html: parse('html', source.html), text: source.text === null ? null : parse('text', source.text) };
}

/**
 * Renders a compiled template with merge fields; the subject override (the e-mail node's) is itself
 * a template. Synchronous: merge fields are plain values, and the dispatcher renders thousands a second.
 */
export function renderTemplate(template: CompiledTemplate, fields: object, subjectOverride?: string | null): Rendered {
  const subjectTpl = subjectOverride ? subjectTemplate(subjectOverride) : template.subject;
  const subject: unknown = liquid.renderSync(subjectTpl, fields);
  const html: unknown = liquid.renderSync(template.html, fields);
  const text: unknown = template.text === null ? null : liquid.renderSync(template.text, fields);
  // A subject is one line: whatever the template made of it, newlines would break the header.
  return { subject: unescapeText(String(subject)).replace(/\s+/g, ' ').trim(), html: String(html), text: text === null ? null : unescapeText(String(text)) };
}

const subjects = new Map<string, Template[]>();

function subjectTemplate(source: string): Template[] {
  let t = subjects.get(source);
  if (!t) {
    t = compileTemplate({ subject: source, html: '', text: null }).subject;
    if (subjects.size > 1_000) subjects.clear();
    subjects.set(source, t);
  }
  return t;
}

// Subject and plain text are not HTML: escaping made `&` into `&amp;` there, so it is undone.
function unescapeText(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|#34|#39);/g, (m, e: string) => ({ amp: '&', lt: '<', gt: '>', quot: '"', '#34': '"', '#39': "'" })[e] ?? m);
}

// E-mail HTML lays out with tables: cells read as blocks, one after another, rather than as a grid
// of text columns. Headings keep their case (Japanese has none; an English title is not shouted).
const toText = compileHtmlToText({
  wordwrap: false,
  selectors: [
    { selector: 'img', format: 'skip' },
    { selector: 'a', options: { hideLinkHrefIfSameAsText: true, linkBrackets: ['<', '>'] } },
    ...['table', 'tbody', 'thead', 'tr', 'td', 'th'].map((selector) => ({ selector, format: 'block' })),
    ...['h1', 'h2', 'h3', 'h4', 'h5', 'h6'].map((selector) => ({ selector, options: { uppercase: false } })),
  ],
});

/** The plain-text part generated from HTML: paragraphs and line breaks kept, links written out, images left out. */
export function textFromHtml(html: string): string {
  return toText(html);
}

const compiledCache = new Map<string, { stamp: number; template: CompiledTemplate }>();

/** A template parsed once per version (product line, id, updated_at), for the dispatcher's hot path. */
export function compiledFor(cacheKey: string, updatedAt: number, source: TemplateSource): CompiledTemplate {
  const hit = compiledCache.get(cacheKey);
  if (hit && hit.stamp === updatedAt) return hit.template;
  const template = compileTemplate(source);
  if (compiledCache.size > 5_000) compiledCache.clear();
  compiledCache.set(cacheKey, { stamp: updatedAt, template });
  return template;
}
