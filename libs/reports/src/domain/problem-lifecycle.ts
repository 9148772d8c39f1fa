export const PROBLEM_STATUSES = ['open', 'known_error', 'resolved'] as const;
export type ProblemStatus = (typeof PROBLEM_STATUSES)[number];

export const PROBLEM_SCOPES = ['device', 'site', 'kind'] as const;
export type ProblemScope = (typeof PROBLEM_SCOPES)[number];

export type ProblemChangeResult =
  | { ok: true; status: ProblemStatus; workaround: string | null; resolved: boolean }
  | { ok: false; code: 'invalid' | 'illegal_transition'; message: string };

/**
 * A problem's lifecycle: open → known_error (a workaround is recorded) → resolved; known_error may go
 * back to open; a known error may update its workaround. Resolved is final: the fault recurring later
 * makes a new problem.
 */
export function changeProblemStatus(
  current: { status: ProblemStatus; workaround: string | null },
  next: ProblemStatus,
  workaround?: string,
): ProblemChangeResult {
  if (current.status === 'resolved')
    return { ok: false, code: 'illegal_transition', message: 'status: a resolved problem cannot change' };
  const text = workaround?.trim() || null;
  const kept = text ?? current.workaround;
  if (next === 'known_error' && !kept)
    return { ok: false, code: 'invalid', message: 'workaround: a known error needs a workaround' };
  return { ok: true, status: next, workaround: kept, resolved: next === 'resolved' };
}
