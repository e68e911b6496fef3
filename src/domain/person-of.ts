/*
 * Whose a record or evidence entry is, in a register whose records are per person (issue 18; src/ui/register.ts
 * RoomAccess `audience`): the person its first person field names, '' for no one's. One reading for the device
 * that tags what it seals (src/sync/seal.ts), the relay that filters (server/audience.ts) and the device that
 * checks what it holds (src/registers/members/audience-view.ts).
 */

/** The fields that name the person a record is of: `personId` (training, acknowledgements, competency), `partyPersonId` (agreements). */
export const PERSON_FIELDS = ['personId', 'partyPersonId'] as const;

/** The person `field` reads for a record or entry, '' for no one's. */
export function personIn(field: (name: string) => unknown): string {
  for (const f of PERSON_FIELDS) {
    const v = field(f);
    if (typeof v === 'string' && v !== '') return v;
  }
  return '';
}
