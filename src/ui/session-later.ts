import type { Accessor } from 'solid-js';
import { createDisciplinaryKeys } from '../registers/disciplinary/keys';
import { createDisciplinaryStore } from '../registers/disciplinary/store';
import type { MemberStore } from '../registers/members/store';
import type { PeopleStore } from '../registers/people/store';
import { createResourceStore } from '../registers/resources/store';
import { createSpeakupSession } from '../registers/speakup/session';
import type { DeviceKeyRecord } from '../store/device-records';
import type { OpenWorkspace } from '../store/open-workspace';
import type { Signer } from '../store/signoffs';

/**
 * The registers Home and the Due badge do not read: disciplinary (with its
 * key ring), speak-up (its own room) and resources. A lazy chunk that
 * `createSession` loads once Home is synced (or offline), or at once when a
 * screen that needs them opens (`Section.later`).
 */
export function createLaterStores(
  docs: OpenWorkspace['docs'],
  deps: {
    workspace: Accessor<{ id: string; secret: string; orgName: string }>;
    deviceId: string;
    deviceKeys: Accessor<DeviceKeyRecord | undefined>;
    members: MemberStore;
    people: PeopleStore;
    signer: Accessor<Signer>;
  },
) {
  const { deviceId, deviceKeys, members, people } = deps;
  const disciplinaryKeys = createDisciplinaryKeys(docs.disciplinary, { deviceId, deviceKeys, members, people });
  return {
    resources: createResourceStore(docs.resources),
    // Sealed with AES-GCM under a key only the officers' devices hold (src/registers/disciplinary/keys.ts).
    disciplinary: createDisciplinaryStore(docs.disciplinary, disciplinaryKeys.codec, disciplinaryKeys),
    // Speak-up: its own sealed document and room, outside REGISTERS (src/registers/speakup/session.ts).
    speakup: createSpeakupSession({ ...deps, settingsDoc: docs.settings }),
  };
}

export type LaterStores = ReturnType<typeof createLaterStores>;
