import type { RightRule } from '../../domain/evidence-trust';

/*
 * Every sealed disciplinary entry (they carry no kind outside the seal) comes from a designated officer’s device:
 * designated by a signed `officer` entry of the member list (the Officers screen writes one in a signed workspace).
 */
export const rights: Readonly<Record<string, RightRule>> = {
  '*': (_entry, who) => (who.officer ? undefined : 'A disciplinary entry needs a designated disciplinary officer’s device.'),
};
