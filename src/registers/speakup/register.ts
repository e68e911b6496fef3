import { defineRegister } from '../../ui/register';
import type { createSpeakupSession } from './session';

declare module '../../ui/session' { interface RegisterStores { speakup: ReturnType<typeof createSpeakupSession>; } }

/**
 * Speak-up has its own sealed, add-only room outside the register documents
 * (./session.ts, ./README.md), and a public page for reporters without a
 * workspace (./PublicPage.tsx, opened at #speakup?…: src/app/App.tsx).
 */
export const register = defineRegister({
  name: 'speakup',
  label: 'Speak up',
  stores: [
    {
      key: 'speakup',
      when: 'later',
      load: () => import('./session').then((m) => (s) => m.createSpeakupSession({ workspace: s.workspace, deviceId: s.device.deviceId, deviceKeys: s.deviceKeys, members: s.members, people: s.people, signer: s.signer, settingsDoc: s.docs.settings })),
    },
  ],
  sections: [
    { section: 'speakup', label: 'Speak up', icon: 'M3 10v4h3l6 4V6l-6 4zM15.5 9a3.5 3.5 0 0 1 0 6M18 6a7.5 7.5 0 0 1 0 12', blurb: 'Report a concern anonymously; follow up with your receipt', screen: () => import('./Screen'), roles: ['owner', 'manager', 'staff'], order: 40, later: true },
  ],
});
