// A template rendered for one lead (by id, or a sample given inline), as the dispatcher would render
// it, without tracking: what the marketer checks before publishing a scenario that sends it.
import { productLineSettingsSchema } from '@nurtureflow/scenario';
import type { JsonObject } from '@nurtureflow/db';
import { senderOf, publicBaseUrl } from '../channels/email-config.ts';
import { ApiError } from '../errors.ts';
import { resolveLeadIds } from '../leads/resolve.ts';
import type { Runtime } from '../runtime.ts';
import { mergeFields, SAMPLE_LEAD, type MergeLead } from './merge-fields.ts';
import { compileTemplate, renderTemplate, textFromHtml } from './render.ts';
import { getTemplate } from './templates.ts';

/** Who to render for: a stored lead, a lead described inline, or (neither) the sample lead. */
export interface PreviewFor {
  leadId?: string | undefined;
  lead?: { email?: string | undefined; name?: string | undefined; company?: string | undefined; attributes?: JsonObject | undefined } | undefined;
}

/** The rendered subject, HTML and text (authored, or generated from the HTML). */
export interface Preview {
  subject: string;
  html: string;
  text: string;
  /** Whether the text part was generated from the HTML. */
  textGenerated: boolean;
  leadId: string;
}

/** Renders a stored template for a lead; 404 for an unknown template or lead. */
export async function previewTemplate(rt: Runtime, productLine: string, templateId: string, who: PreviewFor): Promise<Preview> {
  const template = await getTemplate(rt.db, productLine, templateId);
  const pl = await rt.db.selectFrom('product_lines').select(['id', 'name', 'settings']).where('id', '=', productLine).executeTakeFirstOrThrow();
  const lead = await leadFor(rt, who);
  const settings = productLineSettingsSchema.parse(pl.settings);
  const fields = mergeFields(lead, { id: pl.id, name: pl.name, sender: senderOf(settings, pl.name) }, `${publicBaseUrl()}/u/preview`);
  let rendered;
  try {
    rendered = renderTemplate(compileTemplate(template), fields);
  } catch (e) {
    throw new ApiError(422, 'template_render', `the template could not be rendered: ${e instanceof Error ? e.message : String(e)}`);
  }
  return {
    subject: rendered.subject,
    html: rendered.html,
    text: rendered.text ?? textFromHtml(rendered.html),
    textGenerated: rendered.text === null,
    leadId: lead.id,
  };
}

async function leadFor(rt: Runtime, who: PreviewFor): Promise<MergeLead> {
  if (who.leadId !== undefined) {
    const id = (await resolveLeadIds(rt.db, [who.leadId])).get(who.leadId);
    const row = id === undefined ? undefined : await rt.db.selectFrom('leads').select(['id', 'email', 'attributes', 'tags']).where('id', '=', id).executeTakeFirst();
    if (!row) throw new ApiError(404, 'not_found', `lead "${who.leadId}" does not exist`, [{ path: 'body.leadId', message: 'no such lead' }]);
    return row;
  }
  if (who.lead !== undefined) {
    const l = who.lead;
    const attributes: JsonObject = { ...(l.attributes ?? {}) };
    if (l.name !== undefined) attributes['name'] = l.name;
    if (l.company !== undefined) attributes['company'] = l.company;
    return { id: 'preview', email: l.email ?? null, attributes, tags: [] };
  }
  return SAMPLE_LEAD;
}
