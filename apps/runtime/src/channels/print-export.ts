// What a print shop needs of a print job: the recipient's postal address (from the lead's
// attributes), the personal tracking URL and its QR code — as a CSV that Excel opens as it is.
import { stringify } from 'csv-stringify/sync';
import QRCode from 'qrcode';

/** The recipient fields, each read from the first lead attribute of its names that has a value. */
export const ADDRESS_ATTRIBUTES = {
  department: ['department', '部署'],
  title: ['title', '役職'],
  postalCode: ['postalCode', 'postal_code', 'zip', '郵便番号'],
  prefecture: ['prefecture', '都道府県'],
  city: ['city', '市区町村'],
  address1: ['address1', 'address', 'street', '住所'],
  address2: ['address2', 'building', '建物'],
  fax: ['fax', 'FAX'],
} as const;

/** Who receives a print job and where. */
export type Recipient = { name: string | null; company: string | null } & { -readonly [K in keyof typeof ADDRESS_ATTRIBUTES]: string | null };

/** The recipient of a lead with these attributes (`name` and `company` are the lead's own fields). */
export function recipientOf(attributes: Readonly<Record<string, unknown>>): Recipient {
  const text = (keys: readonly string[]) => {
    for (const k of keys) {
      const v = attributes[k];
      if (typeof v === 'string' && v.trim() !== '') return v.trim();
      if (typeof v === 'number') return String(v);
    }
    return null;
  };
  const out = { name: text(['name']), company: text(['company']) } as Recipient;
  for (const [field, keys] of Object.entries(ADDRESS_ATTRIBUTES)) out[field as keyof typeof ADDRESS_ATTRIBUTES] = text(keys);
  return out;
}

/** The QR code of a URL as an SVG document. */
export function qrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
}

/** The QR code of a URL as an `data:image/svg+xml` URL, to show or embed as it is. */
export async function qrSvgDataUrl(url: string): Promise<string> {
  return `data:image/svg+xml;base64,${Buffer.from(await qrSvg(url)).toString('base64')}`;
}

/** One line of the export. */
export interface ExportRow {
  key: string;
  leadId: string;
  productLine: string;
  scenarioId: string;
  nodeId: string;
  medium: string;
  template: string;
  batchDay: string;
  recipient: Recipient;
  trackingUrl: string;
}

const COLUMNS = [
  'job_key', 'product_line', 'scenario_id', 'node_id', 'medium', 'template', 'batch_day', 'lead_id',
  'name', 'company', 'department', 'title', 'postal_code', 'prefecture', 'city', 'address1', 'address2', 'fax',
  'tracking_url', 'qr_url',
];

/**
 * The print shop's CSV: a UTF-8 BOM so Excel reads Japanese as it is, CRLF line ends, one header
 * line. Cells a spreadsheet would run as a formula (=, +, -, @ first) are escaped, since names and
 * addresses come from web forms.
 */
export function printJobsCsv(rows: readonly ExportRow[]): string {
  const r = (x: ExportRow) => x.recipient;
  return stringify(
    rows.map((x) => [
      x.key, x.productLine, x.scenarioId, x.nodeId, x.medium, x.template, x.batchDay, x.leadId,
      r(x).name, r(x).company, r(x).department, r(x).title, r(x).postalCode, r(x).prefecture, r(x).city, r(x).address1, r(x).address2, r(x).fax,
      x.trackingUrl, `${x.trackingUrl}/qr.svg`,
    ]),
    { header: true, columns: COLUMNS, bom: true, record_delimiter: 'windows', escape_formulas: true },
  );
}
