/** Case- and accent-insensitive "does any of these fields contain the query". */
export function matchesQuery(query: string, ...fields: Array<string | undefined>): boolean {
  const q = fold(query.trim());
  if (!q) return true;
  return fields.some((f) => f !== undefined && fold(f).includes(q));
}

function fold(s: string): string {
  return s.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}
