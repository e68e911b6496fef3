import { createEffect, type JSX, Match, Show, Switch } from 'solid-js';
import { ScreenHeader } from '../../ui/common';
import { route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { EntryDetail, EntryForm } from './Entry';
import { LogList } from './Log';
import { OfficersPage } from './Officers';
import { DisciplinaryNav, NoAccess, useAccess } from './parts';
import { ProcessPage, TierForm } from './Process';
import './disciplinary.css';

/*
 * Routes:
 *   #/disciplinary               the log (officers) — or why not, and the documented process
 *   #/disciplinary/process       the documented process (everyone)
 *   #/disciplinary/tier-new      add a tier            (officers; anyone before the first officer)
 *   #/disciplinary/tier?id=      edit a tier           (idem)
 *   #/disciplinary/officers      who the officers are (everyone); designate (officers; anyone before the first)
 *   #/disciplinary/new           new entry             (officers)
 *   #/disciplinary/entry?id=     one entry             (officers)
 *   #/disciplinary/correct?id=   correct an entry      (officers)
 */
export default function DisciplinaryScreen() {
  const s = useSession();
  const access = useAccess();
  // Only an officer's device opens the sealed entries; losing the role forgets them.
  createEffect(() => (access.officer() ? s.disciplinary.unlock() : s.disciplinary.lock()));
  const param = (k: string) => route().params.get(k) ?? '';
  const officersOnly = (child: () => JSX.Element, title: string) => (
    <Show
      when={access.officer()}
      fallback={
        <>
          <ScreenHeader title={title} />
          <DisciplinaryNav current="log" />
          <NoAccess access={access} />
        </>
      }
    >
      {child()}
    </Show>
  );
  return (
    <Switch fallback={officersOnly(() => <LogList access={access} />, 'Disciplinary log')}>
      <Match when={route().id === 'process'}><ProcessPage access={access} /></Match>
      <Match when={route().id === 'tier-new'}><TierForm access={access} /></Match>
      <Match when={route().id === 'tier'}><TierForm access={access} id={param('id')} /></Match>
      <Match when={route().id === 'officers'}><OfficersPage access={access} /></Match>
      <Match when={route().id === 'new'}>{officersOnly(() => <EntryForm access={access} />, 'New log entry')}</Match>
      <Match when={route().id === 'entry'}>{officersOnly(() => <EntryDetail access={access} id={param('id')} />, 'Log entry')}</Match>
      <Match when={route().id === 'correct'}>{officersOnly(() => <EntryForm access={access} correcting={param('id')} />, 'Correct an entry')}</Match>
    </Switch>
  );
}
