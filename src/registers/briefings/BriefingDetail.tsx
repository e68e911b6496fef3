import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatDate, localIsoDate } from '../../domain/dates';
import { SIGN_OFF_TONE, SIGN_OFF_WORDS } from '../../domain/signoff';
import { Badge, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { ActionRow } from '../../ui/ActionRow';
import { NewActionForm } from '../../ui/NewActionForm';
import { SignOffPanel } from '../../ui/SignOffPanel';
import { SyncedField } from '../../ui/SyncedField';
import { membersOf } from '../people/model';
import { type Briefing, SUGGESTED_TOPICS } from './model';
import { MinutesPdfButton } from './MinutesPdfButton';
import { Attachments } from '../../attachments/Attachments';
import { NotFound } from '../../ui/NotFound';

export function BriefingDetail(props: { id: string }) {
  const s = useSession();
  const briefing = () => s.briefings.byId().get(props.id);
  return (
    <Show
      when={briefing()}
      fallback={<NotFound header="Briefing" back={href('briefings')} title="Briefing not found" />}
    >
      {(b) => (
        <>
          <ScreenHeader title={`${b().team} · ${formatDate(b().date)}`} back={href('briefings')} />
          <div class="row spread">
            <Badge tone={SIGN_OFF_TONE[s.briefings.signOffState(b()).state]}>{SIGN_OFF_WORDS[s.briefings.signOffState(b()).state]}</Badge>
            <span class="muted">{b().attendees.length} present</span>
          </div>
          <section class="card">
            <SyncedField label="Date" type="date" stored={b().date} save={(v) => s.briefings.setHeader(b(), 'date', v)} />
            <SelectField label="Team" value={b().team} onChange={(v) => s.briefings.setHeader(b(), 'team', v)} options={s.access.teamOptions().map((t) => ({ value: t, label: t }))} />
          </section>
          <Attendance briefing={b()} />
          <Topics briefing={b()} />
          <section class="card">
            <SyncedField label="Notes" stored={b().notes} save={(v) => s.briefings.setHeader(b(), 'notes', v)} multiline placeholder="What was said, questions raised, anything to follow up" />
          </section>
          <Attachments doc={s.docs.briefings} recordId={b().id} title="Photo of the whiteboard" accept="photo" empty="Take a photo of the whiteboard or flip chart, so the minutes show what was presented." />
          <Actions briefing={b()} />
          <SignOffPanel
            what="minutes"
            state={s.briefings.signOffState(b())}
            history={s.briefings.history(b().id)}
            flagged={s.briefings.flagged(b().id)}
            signerName={s.signer().name}
            blocked={b().attendees.length === 0 ? 'Mark who was present to sign off the minutes.' : undefined}
            onSign={(note) => s.briefings.signOff(b(), s.signer(), note)}
            onCorrect={(entryId, note, withdraws) => s.briefings.correct(b(), entryId, s.signer(), note, withdraws)}
          />
          <MinutesPdfButton briefing={b()} />
        </>
      )}
    </Show>
  );
}

function Attendance(props: { briefing: Briefing }) {
  const s = useSession();
  const [everyone, setEveryone] = createSignal(false);
  const present = createMemo(() => new Set(props.briefing.attendees));
  // Team members first; people from other teams (or who left) only when asked for, or already marked.
  const people = createMemo(() => {
    const team = membersOf(s.people.all(), props.briefing.team);
    const others = s.people.all().filter((p) => !team.includes(p) && (everyone() || present().has(p.id)));
    return [...team, ...others];
  });
  return (
    <section class="card" aria-labelledby="att-title">
      <h2 id="att-title">Present <span class="muted">({props.briefing.attendees.length})</span></h2>
      <p class="muted">Tap everyone who attended.</p>
      <div class="chips" role="group" aria-labelledby="att-title">
        <For each={people()} fallback={<p class="muted">Nobody is in {props.briefing.team} yet.</p>}>
          {(p) => (
            <ToggleButton class="chip" pressed={present().has(p.id)} onChange={(on) => s.briefings.setPresent(props.briefing.id, p.id, on)} data-testid="attendee">
              {p.name}
            </ToggleButton>
          )}
        </For>
      </div>
      <label class="check">
        <input type="checkbox" checked={everyone()} onChange={(e) => setEveryone(e.currentTarget.checked)} /> Show people from other teams
      </label>
    </section>
  );
}

function Topics(props: { briefing: Briefing }) {
  const s = useSession();
  const [custom, setCustom] = createSignal('');
  const [error, setError] = createSignal<string>();
  const covered = createMemo(() => new Set(props.briefing.topics));
  const all = createMemo(() => [...new Set([...SUGGESTED_TOPICS, ...props.briefing.topics])]);
  const add = (e: Event) => {
    e.preventDefault();
    const err = s.briefings.setTopic(props.briefing.id, custom(), true);
    setError(err);
    if (!err) setCustom('');
  };
  return (
    <section class="card" aria-labelledby="topics-title">
      <h2 id="topics-title">Topics covered</h2>
      <div class="chips" role="group" aria-labelledby="topics-title">
        <For each={all()}>
          {(t) => (
            <ToggleButton class="chip" pressed={covered().has(t)} onChange={(on) => s.briefings.setTopic(props.briefing.id, t, on)} data-testid="topic">
              {t}
            </ToggleButton>
          )}
        </For>
      </div>
      <form class="row bottom" onSubmit={add} novalidate>
        <Field label="Another topic" value={custom()} onChange={setCustom} error={error()} />
        <button class="btn" type="submit">Add</button>
      </form>
    </section>
  );
}


function Actions(props: { briefing: Briefing }) {
  const s = useSession();
  return (
    <section class="card" aria-labelledby="actions-title">
      <h2 id="actions-title">Actions</h2>
      <p class="muted small">Ticking an action done is follow-up: it is recorded with the day and your name, and does not undo the sign-off of the minutes.</p>
      <ul class="actions-list">
        <For each={props.briefing.actions} fallback={<li class="muted">No actions yet.</li>}>
          {(a) => (
            <ActionRow
              action={a}
              testId="action"
              onDone={(done) => s.briefings.setActionDone(props.briefing, a.id, done, s.signer(), localIsoDate())}
              onRemove={() => s.briefings.removeAction(props.briefing.id, a.id)}
            />
          )}
        </For>
      </ul>
      <NewActionForm add={(a) => s.briefings.addAction(props.briefing.id, { ...a, done: false })} />
    </section>
  );
}
