import { isOfficer } from '../../registers/disciplinary/model';
import type { Session } from '../../ui/session';
import type { DisciplinaryAccess } from '../../evidence/types';

/*
 * The disciplinary log for an export, with no hidden step: on a designated
 * officer's device the log is opened for the export (and closed again if no
 * screen had it open), so the pack's redacted view never depends on having
 * visited More → Disciplinary first. Other devices send nothing sealed, only
 * why not, which the pack prints on its summary line.
 */
export async function disciplinaryForPack(s: Session): Promise<{ opened?: unknown[]; access: DisciplinaryAccess }> {
  const d = s.disciplinary;
  const isActive = (personId: string) => s.people.byId().get(personId)?.archived !== true;
  if (!isOfficer(s.signer().personId, d.officerIds(isActive))) return { access: { officer: false, waitingForKey: 0, unreadable: 0 } };
  const wasOpen = d.unlocked();
  d.unlock();
  try {
    await d.settled();
    // Plain JSON: it crosses into the worker.
    const opened = JSON.parse(JSON.stringify(d.entries())) as unknown[];
    return { opened, access: { officer: true, waitingForKey: d.waitingForKey(), unreadable: d.unreadable() } };
  } finally {
    if (!wasOpen) d.lock();
  }
}
