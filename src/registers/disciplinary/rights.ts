import type { RightRule } from '../../domain/evidence-trust';
import { officerRecordId } from './model';

/*
 * Every sealed disciplinary entry (they carry no kind outside the seal) comes from a designated officer’s device:
 * designated in the signed member list, or on this register’s Officers screen (its plain officer record; the
 * screen lets an officer designate the next one, which the member list leaves to owners).
 */
export const rights: Readonly<Record<string, RightRule>> = {
  '*': (_entry, who, look) =>
    who.officer || (who.personId && look.record(officerRecordId(who.personId))?.['designated'] === true)
      ? undefined
      : 'A disciplinary entry needs a designated disciplinary officer’s device.',
};

/** The records the rule reads about a signer, which a pack carries for its verifier (src/export/pack/identity.ts). */
export const signerRecords = (personId: string): string[] => [officerRecordId(personId)];
