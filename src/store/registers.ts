/**
 * The register documents of a workspace: one Yjs document (and one relay room)
 * each. Empty here: each register names its own document from its folder
 * (`declare module '../../store/registers' { interface RegisterDocuments
 * { checklists: true } }` in its register.ts), and the app lists them from the
 * register descriptors (src/ui/registry.ts, `REGISTERS`).
 */
// biome-ignore lint: an interface that registers extend by declaration merging
export interface RegisterDocuments {}

export type RegisterName = keyof RegisterDocuments & string;

/** Relay room of a register: "<workspaceId>.<register>". */
export const roomName = (workspaceId: string, register: RegisterName) => `${workspaceId}.${register}`;

/** IndexedDB database name that y-indexeddb uses for a register. */
export const localDbName = (workspaceId: string, register: RegisterName) => `muster.${workspaceId}.${register}`;
