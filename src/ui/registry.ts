import type { RegisterName } from '../store/registers';
import { DESCRIPTORS } from './descriptors';
import type { SectionEntry } from './register';

/** Every register of the app, from its descriptor (src/ui/descriptors.ts); the lists below are derived from them. */
export { DESCRIPTORS };

const withDocument = DESCRIPTORS.filter((d) => d.document);

/** The register documents of a workspace (one Yjs document and one relay room each), the ones Home reads first. */
export const REGISTERS: readonly RegisterName[] = [...withDocument.filter((d) => d.document!.home), ...withDocument.filter((d) => !d.document!.home)].map((d) => d.document!.name);

/** The documents synced before the others: Home reads them. */
export const HOME_REGISTERS: readonly RegisterName[] = withDocument.filter((d) => d.document!.home).map((d) => d.document!.name);

/** How a register is named to a person (backup summary, verifier messages). */
export const REGISTER_LABELS = Object.fromEntries(withDocument.map((d) => [d.document!.name, d.label])) as Readonly<Record<RegisterName, string>>;

/** The registers' sections (src/app/sections.ts adds the app's own: Home, the pack, the verifier). */
export const REGISTER_SECTIONS: readonly SectionEntry[] = DESCRIPTORS.flatMap((d) => d.sections ?? []);

/**
 * Per section, the documents whose entries that do not count it lists (issue 17: shown flagged, never dropped):
 * each register with rights, in its `notCountedIn` sections, else its own.
 */
export const NOT_COUNTED_IN: Readonly<Record<string, readonly RegisterName[]>> = (() => {
  const out: Record<string, RegisterName[]> = {};
  for (const d of withDocument) if (d.rights) for (const section of d.notCountedIn ?? (d.sections ?? []).map((x) => x.section)) (out[section] ??= []).push(d.document!.name);
  return out;
})();

