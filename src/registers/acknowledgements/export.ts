import type { CsvTable } from '../../evidence/csv';
import type { Person } from '../people/model';
import type { Policy, Publication } from '../policies/model';
import type { Acknowledgement, AckStatus } from './model';

export interface MyPolicyItem {
  policy: Policy;
  current: Publication;
  status: Exclude<AckStatus, 'not-applicable'>;
  /** The acknowledgement of the current version, or the latest older one. */
  ack?: Acknowledgement | undefined;
}

/** One person's policies and where they stand, for their own records or their manager's. */
export function myPoliciesCsv(person: Person, items: readonly MyPolicyItem[], stamp: string): CsvTable {
  const label = (i: MyPolicyItem) => (i.status === 'current' ? 'Acknowledged' : i.status === 'stale' ? `Stale (version ${i.ack?.version ?? '?'})` : 'Not acknowledged');
  const safe = person.name.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'person';
  return {
    name: `muster-my-policies-${safe}-${stamp}`,
    columns: ['Person', 'Policy', 'Current version', 'Status', 'Version acknowledged', 'Acknowledged at', 'Typed name', 'Drawn signature', 'SHA-256 of text read'],
    rows: items.map((i) => [
      person.name,
      i.policy.title,
      i.current.version,
      label(i),
      i.ack?.version ?? '',
      i.ack?.at ?? '',
      i.ack?.typedName ?? '',
      i.ack ? (i.ack.signature ? 'Yes' : 'No') : '',
      i.ack?.textSha256 ?? '',
    ]),
  };
}
