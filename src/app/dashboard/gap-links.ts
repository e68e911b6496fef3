import type { Action } from '../../domain/permissions';
import type { Gap, GapKind } from '../../domain/gaps';
import { href, parseRoute } from '../../ui/router';

/** Home's screen of one person's gaps: what each one needs, and who can close it. */
export const personGapsHref = (personId: string, kind?: GapKind) => href('home', 'person', { id: personId, ...(kind ? { gap: kind } : {}) });

/** Whether this device may open the screen where a gap is closed. */
export const canOpenGap = (gap: Pick<Gap, 'href'>, can: (a: Action) => boolean) => can(`open:${parseRoute(gap.href).section}`);

/**
 * Where tapping a gap goes: the screen that closes it when this device may
 * open it (a policy to acknowledge, the training matrix), else Home's page for
 * that person, which says who closes it. No gap leads to a refused section.
 */
export const gapTarget = (gap: Gap, can: (a: Action) => boolean) => (canOpenGap(gap, can) ? gap.href : personGapsHref(gap.personId, gap.kind));

/** Who closes a gap of a kind this device cannot, and how; `who` is "you" or the person's name, `owners` "Olga Owner" or "an owner". */
export function closedBy(kind: GapKind, who: string, owners: string): string {
  const your = who === 'you' ? 'your' : `${who}’s`;
  if (kind.startsWith('agreement-'))
    return `Agreements are kept by an owner in Agreements. If ${who === 'you' ? 'you have' : `${who} has`} signed one, give it to ${owners}: this gap closes when they record it.`;
  if (kind === 'competence-missing')
    return `Competences for security roles are recorded by an owner in Competency. Ask ${owners} how ${who} can show it: a course in Training, or an assessment they record.`;
  return `Only an owner can record this. Ask ${owners} to update ${your} record.`;
}

/** What the link that closes a gap says, when this device may open it. */
export const FIX_LABELS: Record<GapKind, string> = {
  'policy-unacknowledged': 'Read and acknowledge',
  'policy-stale': 'Read the new version and acknowledge',
  'training-missing': 'See the training',
  'training-expired': 'See the training',
  'training-expiring': 'See the training',
  'agreement-missing': 'Add the agreement',
  'agreement-unsigned': 'Open the agreement',
  'agreement-expired': 'Open the agreement',
  'competence-missing': 'Open the role’s competences',
};
