import type { RegisterPack } from '../../evidence/context';

/**
 * Every register's pack hook (`src/registers/<name>/pack.ts`, exporting
 * `pack`), found by glob at build time: a register joins the evidence pack by
 * adding that one file, with no edit here. In report order.
 */
export const HOOKS: readonly RegisterPack[] = Object.values(import.meta.glob<{ pack: RegisterPack }>('../../registers/*/pack.ts', { eager: true }))
  .map((m) => m.pack)
  .filter((p): p is RegisterPack => !!p && typeof p.build === 'function')
  .sort((a, b) => a.order - b.order || a.register.localeCompare(b.register));
