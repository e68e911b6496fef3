/** Text reduced to safe file-name characters: "Acmé Ltd" → "acme-ltd". */
export function slug(text: string, fallback = 'workspace'): string {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 40) || fallback
  );
}

/** `muster-evidence-<org>-<from>-<to>.zip` */
export function packFileName(org: string, from: string, to: string, ext = 'zip'): string {
  return `muster-evidence-${slug(org)}-${from}-${to}.${ext}`;
}
