/** The register documents of a workspace: one Yjs document (and one relay room) each. */
export const REGISTERS = [
  'settings', 'people', 'checklists', 'briefings', 'policies', 'acknowledgements', 'training', 'competency', 'roles', 'agreements', 'reviews', 'resources', 'disciplinary', 'members',
] as const;
export type RegisterName = (typeof REGISTERS)[number];

/** Relay room of a register: "<workspaceId>.<register>". */
export const roomName = (workspaceId: string, register: RegisterName) => `${workspaceId}.${register}`;

/** IndexedDB database name that y-indexeddb uses for a register. */
export const localDbName = (workspaceId: string, register: RegisterName) => `muster.${workspaceId}.${register}`;
