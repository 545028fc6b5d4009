// E-mail templates of a product line: stored as written, parsed on every write so a template
// that does not parse is refused with a 400 naming the field, never found out when a mail is due.
import type { DB } from '@nurtureflow/db';
import type { Kysely, Selectable } from 'kysely';
import { recordAudit } from '../audit/index.ts';
import { ApiError, conflict, notFound } from '../errors.ts';
import type { Runtime } from '../runtime.ts';
import { compileTemplate, TemplateSyntaxError, type TemplateSource } from './render.ts';

/** A template as the API shows it. */
export interface TemplateView {
  productLine: string;
  id: string;
  name: string;
  subject: string;
  html: string;
  text: string | null;
  createdAt: string;
  updatedAt: string;
}

/** What a client writes. */
export interface TemplateInput extends TemplateSource {
  name: string;
}

function view(row: Selectable<DB['templates']>): TemplateView {
  return {
    productLine: row.product_line,
    id: row.id,
    name: row.name,
    subject: row.subject,
    html: row.html,
    text: row.text,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Throws a 400 naming `body.<field>` when a field is not valid Liquid. */
export function checkSyntax(source: TemplateSource): void {
  try {
    compileTemplate(source);
  } catch (e) {
    if (!(e instanceof TemplateSyntaxError)) throw e;
    throw new ApiError(400, 'template_syntax', `body.${e.message}`, [{ path: `body.${e.field}`, message: e.message.slice(e.field.length + 2) }]);
  }
}

async function requireProductLine(db: Kysely<DB>, productLine: string): Promise<void> {
  const row = await db.selectFrom('product_lines').select('id').where('id', '=', productLine).executeTakeFirst();
  if (!row) throw notFound('product line', productLine);
}

/** Creates a template; 404 for an unknown product line, 409 when the id is taken. The audit log records who, in the same transaction. */
export async function createTemplate(rt: Runtime, productLine: string, id: string, input: TemplateInput, actor: string): Promise<TemplateView> {
  checkSyntax(input);
  await requireProductLine(rt.db, productLine);
  const at = new Date(rt.clock.now());
  const row = await rt.db.transaction().execute(async (trx) => {
    const created = await trx
      .insertInto('templates')
      .values({ product_line: productLine, id, name: input.name, subject: input.subject, html: input.html, text: input.text, created_at: at, updated_at: at })
      .onConflict((oc) => oc.columns(['product_line', 'id']).doNothing())
      .returningAll()
      .executeTakeFirst();
    if (!created) throw conflict('template_exists', `template "${id}" already exists in product line "${productLine}"`, [{ path: 'body.id', message: 'is already taken' }]);
    await recordAudit(trx, { productLine, actor, action: 'template.created', objectKind: 'template', objectId: id, at, details: { name: input.name, subject: input.subject } });
    return created;
  });
  return view(row);
}

const TEMPLATE_FIELDS = ['name', 'subject', 'html', 'text'] as const;

/**
 * Creates or replaces a template as a whole (PUT). The audit log records a creation, or a change
 * with the fields that changed (a PUT that changes nothing records nothing).
 */
export async function putTemplate(rt: Runtime, productLine: string, id: string, input: TemplateInput, actor: string): Promise<TemplateView> {
  checkSyntax(input);
  await requireProductLine(rt.db, productLine);
  const at = new Date(rt.clock.now());
  const row = await rt.db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom('templates').selectAll().where('product_line', '=', productLine).where('id', '=', id).forUpdate().executeTakeFirst();
    const saved = await trx
      .insertInto('templates')
      .values({ product_line: productLine, id, name: input.name, subject: input.subject, html: input.html, text: input.text, created_at: at, updated_at: at })
      .onConflict((oc) =>
        oc.columns(['product_line', 'id']).doUpdateSet({ name: input.name, subject: input.subject, html: input.html, text: input.text, updated_at: at }),
      )
      .returningAll()
      .executeTakeFirstOrThrow();
    const fields = before ? TEMPLATE_FIELDS.filter((f) => before[f] !== saved[f]) : [];
    if (!before) {
      await recordAudit(trx, { productLine, actor, action: 'template.created', objectKind: 'template', objectId: id, at, details: { name: input.name, subject: input.subject } });
    } else if (fields.length > 0) {
      await recordAudit(trx, { productLine, actor, action: 'template.changed', objectKind: 'template', objectId: id, at, details: { fields: [...fields], ...(fields.includes('subject') ? { subject: { before: before.subject, after: saved.subject } } : {}) } });
    }
    return saved;
  });
  return view(row);
}

/** A product line's templates by id; 404 for an unknown product line. */
export async function listTemplates(db: Kysely<DB>, productLine: string): Promise<TemplateView[]> {
  await requireProductLine(db, productLine);
  const rows = await db.selectFrom('templates').selectAll().where('product_line', '=', productLine).orderBy('id').execute();
  return rows.map(view);
}

/** One template; 404 when it (or its product line) does not exist. */
export async function getTemplate(db: Kysely<DB>, productLine: string, id: string): Promise<TemplateView> {
  const row = await db.selectFrom('templates').selectAll().where('product_line', '=', productLine).where('id', '=', id).executeTakeFirst();
  if (!row) {
    await requireProductLine(db, productLine);
    throw notFound('template', id);
  }
  return view(row);
}
