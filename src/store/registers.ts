/** The register documents of a workspace: one Yjs document (and one relay room) each. */
export const REGISTERS = [
  'settings', 'people', 'checklists', 'briefings', 'policies', 'acknowledgements', 'training', 'competency', 'roles', 'agreements', 'reviews', 'resources', 'disciplinary', 'members',
] as const;
export type RegisterName = (typeof REGISTERS)[number];

/** How a register is named to a person (backup summary, verifier messages). */
export const REGISTER_LABELS: Record<RegisterName, string> = {
  settings: 'Settings',
  members: 'Members and devices',
  people: 'People',
  checklists: 'Checklists',
  briefings: 'Briefings',
  policies: 'Policies',
  acknowledgements: 'Acknowledgements',
  training: 'Training',
  competency: 'Competency',
  roles: 'Roles',
  agreements: 'Agreements',
  reviews: 'Management reviews',
  resources: 'Resources',
  disciplinary: 'Disciplinary',
};

/** Relay room of a register: "<workspaceId>.<register>". */
export const roomName = (workspaceId: string, register: RegisterName) => `${workspaceId}.${register}`;

/** IndexedDB database name that y-indexeddb uses for a register. */
export const localDbName = (workspaceId: string, register: RegisterName) => `muster.${workspaceId}.${register}`;
