import type { CsvTable } from '../../evidence/csv';
import type { Person } from '../people/model';
import type { Policy, Publication } from '../policies/model';
import type { Acknowledgement, AckStatus, RosterRow } from './model';

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

/** Who has and has not acknowledged the current version of one policy, with the evidence of each acknowledgement. */
export function acknowledgementsCsv(policy: Policy, current: Publication, roster: ReadonlyArray<RosterRow<Person>>, stamp: string): CsvTable {
  const label = { current: 'Acknowledged', stale: 'Stale', missing: 'Not acknowledged' } as const;
  const rows = roster.map(({ person, status, ack }) => [
    person.name,
    person.team,
    policy.title,
    current.version,
    status === 'stale' && ack ? `Stale (version ${ack.version})` : label[status],
    ack?.version ?? '',
    ack?.at ?? '',
    ack?.typedName ?? '',
    ack ? (ack.signature ? 'Yes' : 'No') : '',
    ack?.textSha256 ?? '',
    ack?.deviceId ?? '',
    ack?.byName ?? '',
    ack?.id ?? '',
  ]);
  const safe = policy.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'policy';
  return {
    name: `muster-acknowledgements-${safe}-v${current.version}-${stamp}`,
    columns: ['Person', 'Team', 'Policy', 'Current version', 'Status', 'Version acknowledged', 'Acknowledged at', 'Typed name', 'Drawn signature', 'SHA-256 of text read', 'Device', 'Device user', 'Acknowledgement id'],
    rows,
  };
}
