/** Maps the API's validation messages to form fields (pure; used by components/forms.tsx). */
import { ApiError } from './api';

export type FieldErrors = Record<string, string[]>;

export interface MappedErrors {
  /** Messages by the field they name (the longest known field the message's path starts with). */
  fields: FieldErrors;
  /** Messages that name no known field, shown at the top of the form. */
  general: string[];
}

/** The property path a validation message begins with: "steps.0.delaySeconds must …", "cidr: …", "property x should not exist". */
export function messagePath(message: string): string | null {
  const unknown = /^property (\S+) should not exist/.exec(message);
  if (unknown) return unknown[1];
  const m = /^([A-Za-z_$][\w$]*(?:\.[\w$]+)*)(?=:|\s)/.exec(message);
  return m ? m[1] : null;
}

/**
 * Maps the API's messages to the form's fields. A message belongs to the longest field name that equals
 * its path or is a parent of it (`snmp.community` goes to `snmp.community` if the form has it, else to
 * `snmp`). `unmatched` names a field that takes messages naming none (e.g. a 409 "already exists").
 */
export function mapApiErrors(error: unknown, fields: readonly string[], unmatched?: string): MappedErrors {
  const out: MappedErrors = { fields: {}, general: [] };
  const messages =
    error instanceof ApiError ? error.messages : [error instanceof Error ? error.message : String(error)];
  const known = [...fields].sort((a, b) => b.length - a.length);
  for (const message of messages) {
    const path = messagePath(message);
    const field =
      (path !== null ? known.find((f) => path === f || path.startsWith(`${f}.`)) : undefined) ??
      (unmatched && error instanceof ApiError && error.status < 500 ? unmatched : undefined);
    if (field) (out.fields[field] ??= []).push(message);
    else out.general.push(message);
  }
  return out;
}
