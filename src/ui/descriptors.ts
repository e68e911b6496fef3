import type { RegisterDescriptor } from './register';

/**
 * Every register's descriptor (`src/registers/<name>/register.ts`), found by
 * glob at build time: a register joins the app by adding its folder, with no
 * edit anywhere else. The app derives its lists from them (src/ui/registry.ts);
 * screens find what other registers contribute to them (./slots.tsx).
 */
export const DESCRIPTORS: readonly RegisterDescriptor[] = Object.values(import.meta.glob<{ register: RegisterDescriptor }>('../registers/*/register.ts', { eager: true }))
  .map((m) => m.register)
  .sort((a, b) => a.name.localeCompare(b.name));
