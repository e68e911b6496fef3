import type { RightRule } from '../domain/evidence-trust';
import type { IdentityOptions } from './verify-identity';

/*
 * The registers' right rules (src/registers/<x>/rights.ts, exporting
 * `rights`), found by glob as the pack's hooks are: the in-app verifier judges
 * every entry with the same code the live app uses. The Node script cannot
 * glob; scripts/verify-pack.ts collects the same files with fs.
 */
const found = import.meta.glob<{ rights?: Readonly<Record<string, RightRule>> }>('../registers/*/rights.ts', { eager: true });

/** register name (its folder) → its rules. */
export const RIGHTS: Readonly<Record<string, Readonly<Record<string, RightRule>>>> = Object.fromEntries(
  Object.entries(found)
    .map(([path, m]) => [/registers\/([^/]+)\/rights\.ts$/.exec(path)?.[1] ?? '', m.rights] as const)
    .filter((e): e is readonly [string, Readonly<Record<string, RightRule>>] => !!e[0] && !!e[1]),
);

export const VERIFY_OPTIONS: IdentityOptions = { rights: RIGHTS };
