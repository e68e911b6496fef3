/*
 * What a device says when a relay that admits proven devices only refuses it
 * (server/admission.ts, 4403 reasons), or cannot open what it holds: loaded when that happens, not on Home's path.
 */

/** Texts the device shows for the relay's 4403 reasons (server/admission.ts). */
export const ADMISSION_TEXT: Readonly<Record<string, string>> = {
  'device not enrolled': 'Waiting to be admitted: this relay lets in only devices on the signed member list. An owner confirms this device on Members (it has asked), or send an invite link for it.',
  'device removed': 'Refused — you were removed from this workspace.',
  'device proof required': 'This device could not prove itself to the relay (its challenge got no answer). It tries again in a few seconds.',
};

/** The relay's copy is sealed with a content key this device lacks (src/sync/seal.ts, room-sync.ts CLOSE_UNSEALED). */
export const UNSEALED = 'This device cannot open what the relay holds: it was sealed with a workspace key this device does not have. Ask an owner for a new invite link.';

/** Per workspace: why the relay refused this device's invite when it tried to enrol with it (./enrol.ts). */
const enrolRefusals = new Map<string, string>();
export const setEnrolRefusal = (workspaceId: string, reason: string | undefined) => (reason ? enrolRefusals.set(workspaceId, reason) : enrolRefusals.delete(workspaceId));

/** The sentence for a 4403 reason: a refused invite says why, not "waiting". */
export function admissionText(workspaceId: string, reason: string): string {
  const refused = reason === 'device not enrolled' ? enrolRefusals.get(workspaceId) : undefined;
  if (refused) return `The relay did not accept this device’s invite: ${refused}. Ask whoever invited you for a new invite.`;
  return ADMISSION_TEXT[reason] ?? `The relay did not admit this device (${reason}).`;
}

