import type { z } from 'zod';
import type { Bilingual, Problem } from '../problems.ts';
import { capitalize, dotted, nodeLabel, problem } from './problem.ts';

type RawIssue = z.core.$ZodRawIssue;
type Issue = z.core.$ZodIssue;

// Default messages carry both languages, split by this separator, so that after parsing a default
// message can be told from a message written into the schema (which is English only).
const SEP = '\u0000';

function both(en: string, ja: string): string {
  return `${en}${SEP}${ja}`;
}

const TYPE_NAMES: Record<string, Bilingual> = {
  string: { en: 'text', ja: '文字列' },
  number: { en: 'a number', ja: '数値' },
  int: { en: 'a whole number', ja: '整数' },
  boolean: { en: 'true or false', ja: 'true か false' },
  array: { en: 'a list', ja: 'リスト' },
  object: { en: 'a group of fields', ja: '項目のまとまり（オブジェクト）' },
  record: { en: 'a group of fields', ja: '項目のまとまり（オブジェクト）' },
  null: { en: 'empty (null)', ja: '空（null）' },
};

function list(values: readonly unknown[]): string {
  return values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join(', ');
}

function sizeMessage(kind: 'min' | 'max', origin: string, limit: number | bigint, inclusive: boolean | undefined): string {
  const n = String(limit);
  if (origin === 'string') {
    if (kind === 'min') return Number(limit) === 1 ? both('must not be empty', '空にはできません') : both(`must be at least ${n} characters`, `${n}文字以上にしてください`);
    return both(`must be at most ${n} characters`, `${n}文字以内にしてください`);
  }
  if (origin === 'array' || origin === 'set') {
    return kind === 'min'
      ? both(`must have at least ${n} item${n === '1' ? '' : 's'}`, `${n}件以上にしてください`)
      : both(`must have at most ${n} item${n === '1' ? '' : 's'}`, `${n}件以内にしてください`);
  }
  if (kind === 'min') return inclusive === false ? both(`must be greater than ${n}`, `${n}より大きくしてください`) : both(`must be at least ${n}`, `${n}以上にしてください`);
  return inclusive === false ? both(`must be less than ${n}`, `${n}未満にしてください`) : both(`must be at most ${n}`, `${n}以下にしてください`);
}

/** The error map used for every parse here: marketer-readable default messages in both languages. */
export function defaultMessage(issue: RawIssue): string {
  switch (issue.code) {
    case 'invalid_type': {
      if (issue.input === undefined) return both('is required', '必須です');
      const t = TYPE_NAMES[issue.expected];
      return t ? both(`must be ${t.en}`, `${t.ja}にしてください`) : both(`must be of type ${issue.expected}`, `${issue.expected} 型にしてください`);
    }
    case 'too_small':
      return sizeMessage('min', issue.origin, issue.minimum, issue.inclusive);
    case 'too_big':
      return sizeMessage('max', issue.origin, issue.maximum, issue.inclusive);
    case 'invalid_value':
      return issue.values.length === 1
        ? both(`must be ${JSON.stringify(issue.values[0])}`, `${JSON.stringify(issue.values[0])} にしてください`)
        : both(`must be one of ${list(issue.values)}`, `次のいずれかにしてください: ${list(issue.values)}`);
    case 'invalid_format':
      if (issue.format === 'url') return both('must be a full URL (https://…)', 'https:// で始まる完全な URL にしてください');
      if (issue.format === 'email') return both('must be an e-mail address', 'メールアドレスにしてください');
      return both('is not in the expected format', '形式が正しくありません');
    case 'not_multiple_of':
      return both(`must be a multiple of ${String(issue.divisor)}`, `${String(issue.divisor)}の倍数にしてください`);
    case 'unrecognized_keys':
      return both(`has fields the format does not know: ${issue.keys.join(', ')}`, `形式にない項目があります: ${issue.keys.join(', ')}`);
    case 'invalid_union':
      {
        const options = (issue as { options?: readonly unknown[] }).options;
        if (issue.discriminator !== undefined && options) {
          if (issue.input === undefined) return both('is required', '必須です');
          return both(`must be one of ${list(options)}`, `次のいずれかにしてください: ${list(options)}`);
        }
      }
      return both('does not match any of the allowed forms', 'どの形式にも当てはまりません');
    case 'invalid_key':
      return both('has an invalid name', '名前が正しくありません');
    case 'invalid_element':
      return both('has an invalid entry', '正しくない要素があります');
    default:
      return both('is not valid', '正しくありません');
  }
}

/** Parse options that give every issue a marketer-readable message. */
export const parseParams = { error: defaultMessage } as const;

interface Translation {
  ja: string;
  /** Written as an instruction ("add …") rather than a predicate ("must be …"). */
  imperative?: boolean;
}

// Messages written into the schema files, in Japanese. A message missing here still reaches the
// marketer in English and with a generic Japanese sentence.
const CUSTOM: [RegExp, (m: RegExpMatchArray) => Translation][] = [
  [/^must not be empty$/, () => ({ ja: '空にはできません' })],
  [/^must not be negative$/, () => ({ ja: 'マイナスにはできません' })],
  [/^is too large$/, () => ({ ja: '大きすぎます' })],
  [/^is a reserved name$/, () => ({ ja: '予約された名前のため使えません' })],
  [/^must be a whole number$/, () => ({ ja: '整数にしてください' })],
  [/^must be a number$/, () => ({ ja: '数値にしてください' })],
  [/^must be at least (\S+)$/, (m) => ({ ja: `${m[1]}以上にしてください` })],
  [/^must be at most (\S+) characters$/, (m) => ({ ja: `${m[1]}文字以内にしてください` })],
  [/^must be at most (\S+)$/, (m) => ({ ja: `${m[1]}以下にしてください` })],
  [/^must be one of (.*)$/, (m) => ({ ja: `次のいずれかにしてください: ${m[1]}` })],
  [/^may contain only letters, digits/, () => ({ ja: '半角英数字と「_」「-」「.」だけが使えます' })],
  [/^may contain only lowercase letters, digits/, () => ({ ja: '半角の英小文字・数字と「_」「-」だけが使えます' })],
  [/^must be lowercase letters, digits/, () => ({ ja: '半角の英小文字・数字と「_」「.」だけが使えます' })],
  [/^must be a simple attribute name$/, () => ({ ja: '半角英数字と「_」「.」だけの属性名にしてください' })],
  [/^must be a time of day/, () => ({ ja: 'HH:MM 形式の時刻（00:00〜23:59）にしてください' })],
  [/^must be a date as YYYY-MM-DD$/, () => ({ ja: 'YYYY-MM-DD 形式の日付にしてください' })],
  [/^must be a full URL/, () => ({ ja: 'https:// で始まる完全な URL にしてください' })],
  [/^must be an e-mail address$/, () => ({ ja: 'メールアドレスにしてください' })],
  [/^must be an IANA time zone/, () => ({ ja: 'Asia/Tokyo のような IANA タイムゾーン名にしてください' })],
  [/^must be (\d+); older documents go through upgrade\(\)$/, (m) => ({ ja: `${m[1]} にしてください（古い形式の文書は upgrade() で変換します）` })],
  [/^must be "(.*)"$/, (m) => ({ ja: `"${m[1]}" にしてください` })],
  [/^give the scenario a name$/, () => ({ ja: 'シナリオに名前を付けてください', imperative: true })],
  [/^add at least one change$/, () => ({ ja: '変更内容を1つ以上追加してください', imperative: true })],
  [/^choose at least one rank$/, () => ({ ja: 'ランクを1つ以上選んでください', imperative: true })],
];

function translate(message: string): { en: string; ja: string; imperative: boolean } {
  const at = message.indexOf(SEP);
  if (at >= 0) return { en: message.slice(0, at), ja: message.slice(at + 1), imperative: false };
  for (const [pattern, tr] of CUSTOM) {
    const m = message.match(pattern);
    if (m) {
      const t = tr(m);
      return { en: message, ja: t.ja, imperative: t.imperative ?? false };
    }
  }
  return { en: message, ja: '正しくありません', imperative: !/^(must|may|is|has|should|cannot)\b/.test(message) };
}

// How far an alternative of a union got before failing: a wrong shape at its root costs most.
function unionCost(issues: readonly Issue[]): number {
  let cost = 0;
  for (const i of issues) {
    const shapeMiss =
      (i.path.length === 0 && (i.code === 'invalid_type' || i.code === 'unrecognized_keys')) ||
      (i.code === 'invalid_union' && i.discriminator !== undefined && i.errors.length === 0);
    cost += shapeMiss ? 100 : 1;
  }
  return cost;
}

/** Replace each failed union by the issues of the alternative the input was closest to. */
export function flattenIssues(issues: readonly Issue[], prefix: readonly PropertyKey[] = []): { path: PropertyKey[]; message: string }[] {
  const out: { path: PropertyKey[]; message: string }[] = [];
  for (const issue of issues) {
    const path = [...prefix, ...issue.path];
    if (issue.code === 'invalid_union' && issue.errors.length > 0) {
      let best = issue.errors[0] as Issue[];
      for (const alt of issue.errors) if (unionCost(alt) < unionCost(best)) best = alt;
      out.push(...flattenIssues(best, path));
    } else if (issue.code === 'invalid_key' && issue.issues.length > 0) {
      out.push(...flattenIssues(issue.issues as Issue[], path));
    } else {
      out.push({ path, message: issue.message });
    }
  }
  return out;
}

/** SCN001 problems for the issues of one parse, on a node (`nodeId`) or on the scenario (null). */
export function schemaProblems(issues: readonly Issue[], nodeId: string | null, nodeName?: string, prefix: readonly PropertyKey[] = []): Problem[] {
  const seen = new Set<string>();
  const problems: Problem[] = [];
  for (const { path, message } of flattenIssues(issues, prefix)) {
    const field = dotted(path);
    const t = translate(message);
    // One problem per field: the first thing wrong with it is what the marketer fixes first.
    if (seen.has(field)) continue;
    seen.add(field);
    problems.push(fieldProblem(nodeId, nodeName, field, t));
  }
  return problems;
}

function fieldProblem(nodeId: string | null, nodeName: string | undefined, field: string, t: { en: string; ja: string; imperative: boolean }): Problem {
  const where = nodeId === null ? { en: 'the scenario', ja: 'シナリオ' } : nodeLabel(nodeId, nodeName);
  let en: string;
  let ja: string;
  if (t.imperative) {
    en = `${capitalize(t.en)} (${where.en}${field ? `, ${field}` : ''}).`;
    ja = `${t.ja}（${where.ja}${field ? ` の ${field}` : ''}）。`;
  } else if (field) {
    en = `In ${where.en}, ${field} ${t.en}.`;
    ja = `${where.ja}の ${field} は${t.ja}。`;
  } else {
    en = `${capitalize(where.en)} ${t.en}.`;
    ja = `${where.ja}は${t.ja}。`;
  }
  return problem('SCN001', 'error', nodeId, field, en, ja);
}
