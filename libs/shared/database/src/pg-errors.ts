/** The constraint a PostgreSQL unique violation (23505) was raised on, if the error is one. */
export function uniqueViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const source = e?.driverError ?? e;
  return source?.code === '23505' ? (source.constraint ?? 'unique') : undefined;
}

/** The constraint a PostgreSQL foreign-key violation (23503) was raised on, if the error is one. */
export function foreignKeyViolation(error: unknown): string | undefined {
  const e = error as { code?: string; constraint?: string; driverError?: { code?: string; constraint?: string } };
  const source = e?.driverError ?? e;
  return source?.code === '23503' ? (source.constraint ?? 'foreign key') : undefined;
}
