/** A message a marketer reads, in both languages the product speaks. */
export interface Bilingual {
  en: string;
  ja: string;
}

/**
 * One thing wrong with a graph. Codes are stable: the editor, the API and the docs refer to them,
 * and a code never changes meaning. Errors block publishing; warnings do not.
 */
export interface Problem {
  code: ProblemCode;
  severity: 'error' | 'warning';
  /** The node the problem is on, or null for the scenario as a whole. */
  nodeId: string | null;
  /** Dotted path of the field within the node (or the document when nodeId is null), e.g. `outputs.timeout`. */
  field: string;
  message: Bilingual;
}

/** Every problem code and what it means. */
export const PROBLEM_CODES = {
  SCN001: 'a field does not match the format (type, range, required)',
  SCN002: 'the scenario has no trigger node',
  SCN003: 'a required output is not connected',
  SCN004: 'an output points at a node that does not exist',
  SCN005: 'an output name this node does not offer',
  SCN006: 'a node cannot be reached from any trigger',
  SCN007: 'a loop that can run with no wait in it',
  SCN008: 'an unknown template',
  SCN009: 'an unknown product line',
  SCN010: 'a branch case that can never match',
  SCN011: 'a duplicate id',
  SCN012: 'a split variant with no weight, or a split whose weights are all zero',
  SCN013: 'a wait longer than the scenario horizon',
  SCN014: 'an optional output is not connected: leads that take it leave the scenario',
  SCN015: 'an output leads into a trigger node',
  SCN016: 'an unknown scenario to move to',
  SCN017: 'a branch case shadowed by an earlier case that always matches',
  SCN018: 'a split with fewer than two variants',
  SCN019: 'the document is not a scenario of a supported format version',
  SCN020: 'an output is connected to more than one node on the canvas',
  SCN021: 'a connection on the canvas starts from a node that does not exist',
} as const;
export type ProblemCode = keyof typeof PROBLEM_CODES;
