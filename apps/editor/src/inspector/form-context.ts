import { createContext, useContext } from 'react';

/** What every field of a form may need: its problems and the names it can suggest. */
export interface FormContextValue {
  /** Problem messages (in the current language) about exactly this dotted path. */
  errorsAt(path: string): string[];
  /** Suggestions for free-text fields by field name: events, templates, scenarios, product lines. */
  suggestions: Record<string, readonly string[]>;
}

export const FormContext = createContext<FormContextValue>({ errorsAt: () => [], suggestions: {} });

/** The form's context. */
export function useForm(): FormContextValue {
  return useContext(FormContext);
}

/** A dotted path one step deeper. */
export function child(path: string, key: string | number): string {
  return path === '' ? String(key) : `${path}.${key}`;
}
