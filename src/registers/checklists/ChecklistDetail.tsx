import { RadioGroup } from '@kobalte/core/radio-group';
import { createMemo, createSignal, For, Show } from 'solid-js';
import { Attachments } from '../../attachments/Attachments';
import { formatDate, formatMonth, localIsoDate } from '../../domain/dates';
import { Badge, ScreenHeader } from '../../ui/common';
import { SelectField } from '../../ui/Field';
import { ActionRow } from '../../ui/ActionRow';
import { NewActionForm } from '../../ui/NewActionForm';
import { href, navigate } from '../../ui/router';
import { useSession } from '../../ui/session';
import { SignOffPanel } from '../../ui/SignOffPanel';
import { createUnsavedDrafts, SyncedField } from '../../ui/SyncedField';
import { briefingsFor } from '../briefings/model';
import './checklist.css';
import { STATUS_TONE } from './status-tone';
import { BRIEF_ITEM_KEY, canSignOff, type Checklist, checklistSignOff, type ItemStatus, NOTE_MAX, STATUS_LABELS, type TemplateItem, unansweredItems } from './model';
import { NotFound } from '../../ui/NotFound';

const ANSWERS: ReadonlyArray<{ value: ItemStatus; label: string }> = [
  { value: 'done', label: 'Done' },
  { value: 'not-done', label: 'Not done' },
  { value: 'na', label: 'N/A' },
];

/*
 * Every item is rendered once and kept: the register shares unchanged parts
 * of a record between versions (createSignedRegister), so saving one item's
 * note updates that note in place and the next tap, anywhere, lands.
 */
export default function ChecklistDetail(props: { id: string }) {
  const s = useSession();
  const checklist = () => s.checklists.byId().get(props.id);
  return (
    <Show
      when={checklist()}
      fallback={<NotFound header="Checklist" back={href('checklists')} title="Checklist not found" backLabel="Back to checklists" />}
    >
      {(c) => {
        const status = () => s.checklists.status(c());
        const history = () => s.checklists.history(c().id);
        const unanswered = () => unansweredItems(c());
        const unsaved = createUnsavedDrafts();
        const blocked = () => {
          const u = unsaved.list()[0];
          if (u) return `${u.label} is not saved yet: ${u.error}`;
          return canSignOff(c()) ? undefined : `Answer every action to sign off (${unanswered().length} left).`;
        };
        return (
          <unsaved.Provider>
            <ScreenHeader title={`${c().team} · ${formatMonth(c().month)}`} back={href('checklists')} />
            <div class="row spread">
              <Badge tone={STATUS_TONE[status()]}>{STATUS_LABELS[status()]}</Badge>
              <span class="muted">{c().items.length - unanswered().length}/{c().items.length} answered</span>
            </div>
            <ol class="items">
              <For each={c().items}>{(item) => <ChecklistItem checklist={c()} item={item} />}</For>
            </ol>
            <Show when={unanswered()[0]}>
              {(next) => (
                <div class="next-bar">
                  <button class="btn primary block" type="button" onClick={() => revealItem(next().key)} data-testid="next-unanswered" aria-label={`Next unanswered: ${next().title}, ${unanswered().length} left`}>
                    <span class="next-title">Next: {next().title}</span> <span class="next-left">{unanswered().length} left</span>
                  </button>
                </div>
              )}
            </Show>
            <Show when={unsaved.list()[0]}>
              {(u) => (
                <div class="banner error unsaved" role="status">
                  {u().label} is not saved yet. <button class="link" type="button" onClick={() => u().reveal()}>Show it</button>
                </div>
              )}
            </Show>
            <SignOffPanel
              what="checklist"
              state={checklistSignOff(c(), history()).state}
              history={history()}
              flagged={s.checklists.flagged(c().id)}
              signerName={s.signer().name}
              blocked={blocked()}
              onSign={(note) => s.checklists.signOff(c(), s.signer(), note)}
              onCorrect={(entryId, note, withdraws) => s.checklists.correct(c(), entryId, s.signer(), note, withdraws)}
            />
          </unsaved.Provider>
        );
      }}
    </Show>
  );
}

/** Brings an item to the middle of the screen and puts focus on its answers, for the next thumb tap. */
function revealItem(key: string) {
  const li = document.querySelector<HTMLElement>(`[data-testid="item-${CSS.escape(key)}"]`);
  if (!li) return;
  li.scrollIntoView({ block: 'center' });
  li.querySelector<HTMLInputElement>('input[type="radio"]')?.focus({ preventScroll: true });
}

function ChecklistItem(props: { checklist: Checklist; item: TemplateItem }) {
  const s = useSession();
  const key = props.item.key;
  const state = () => props.checklist.state[key];
  const set = (part: 'status' | 'note' | 'evidence' | 'briefingId', value: string) => s.checklists.setItem(props.checklist.id, key, part, value);
  const briefings = () => briefingsFor(s.briefings.all(), props.checklist.team, props.checklist.month);
  const recordBriefing = () => {
    const today = localIsoDate();
    const date = today.startsWith(props.checklist.month) ? today : `${props.checklist.month}-01`;
    const r = s.briefings.create({ date, team: props.checklist.team, notes: '' }, s.signer());
    if (r.ok) {
      set('briefingId', r.value.id);
      navigate('briefings', r.value.id);
    }
  };
  // Note and evidence stay folded until used: four items fit on a phone screen.
  const [noteOpen, setNoteOpen] = createSignal(false);
  const showNote = () => noteOpen() || !!state()?.note || !!state()?.evidence;
  let noteInput: HTMLInputElement | undefined;
  const openNote = () => {
    setNoteOpen(true);
    noteInput?.focus();
  };
  const draftKey = (part: string) => `checklist:${props.checklist.id}:${key}:${part}`;
  return (
    <li class="card item" data-testid={`item-${key}`}>
      <RadioGroup class="answer" value={state()?.status ?? ''} onChange={(v) => set('status', v)} orientation="horizontal">
        <RadioGroup.Label class="item-title">{props.item.title}</RadioGroup.Label>
        <RadioGroup.Description class="muted">Evidence: {props.item.evidenceHint}</RadioGroup.Description>
        <div class="segmented" role="presentation">
          <For each={ANSWERS}>
            {(a) => (
              <RadioGroup.Item value={a.value} class={`seg ${a.value}`}>
                <RadioGroup.ItemInput class="visually-hidden" />
                <RadioGroup.ItemLabel class="seg-label">{a.label}</RadioGroup.ItemLabel>
              </RadioGroup.Item>
            )}
          </For>
        </div>
      </RadioGroup>
      <Show when={key === BRIEF_ITEM_KEY}>
        <div class="linked">
          <SelectField
            label="Briefing minutes"
            value={state()?.briefingId ?? ''}
            onChange={(v) => set('briefingId', v)}
            placeholder={briefings().length ? 'Choose the briefing' : 'No briefing recorded this month'}
            options={briefings().map((b) => ({ value: b.id, label: `${formatDate(b.date)} · ${b.attendees.length} present` }))}
          />
          <div class="row">
            <Show when={s.briefings.byId().get(state()?.briefingId ?? '')}>
              {(b) => <a class="btn small" href={href('briefings', b().id)}>Open minutes</a>}
            </Show>
            <button class="btn small" type="button" onClick={recordBriefing}>Record new minutes</button>
          </div>
        </div>
      </Show>
      <Show when={state()?.status === 'not-done' || props.checklist.actions.some((a) => a.item === key)}>
        <ItemActions checklist={props.checklist} item={props.item} />
      </Show>
      <div class="item-notes" hidden={!showNote()}>
        <SyncedField
          label="Note"
          stored={state()?.note ?? ''}
          save={(v) => set('note', v)}
          multiline
          maxLength={NOTE_MAX}
          where={`The note on “${props.item.title}”`}
          draftKey={draftKey('note')}
          ref={(el) => (noteInput = el)}
        />
        <SyncedField
          label="Evidence reference"
          stored={state()?.evidence ?? ''}
          save={(v) => set('evidence', v)}
          placeholder={props.item.evidenceHint}
          maxLength={NOTE_MAX}
          where={`The evidence reference of “${props.item.title}”`}
          draftKey={draftKey('evidence')}
        />
      </div>
      <div class="item-tools">
        <Show when={!showNote()}>
          <button class="btn small" type="button" onClick={openNote} aria-label={`Add note to ${props.item.title}`}>Add note</button>
        </Show>
        <Attachments doc={s.docs.checklists} recordId={props.checklist.id} scope={`item.${key}.`} inline accept="photo" title={`Photos for ${props.item.title}`} />
      </div>
    </li>
  );
}

/** Follow-up for an item not done: who does what by when, added in place. */
function ItemActions(props: { checklist: Checklist; item: TemplateItem }) {
  const s = useSession();
  const actions = createMemo(() => props.checklist.actions.filter((a) => a.item === props.item.key));
  const [adding, setAdding] = createSignal(false);
  let box: HTMLDivElement | undefined;
  const open = () => {
    setAdding(true);
    box?.querySelector<HTMLInputElement>('form input')?.focus();
  };
  return (
    <div class="item-actions" ref={box}>
      <Show when={actions().length > 0}>
        <ul class="actions-list">
          <For each={actions()}>
            {(a) => (
              <ActionRow
                action={a}
                testId="item-action"
                onDone={(done) => s.checklists.setActionDone(props.checklist, a.id, done, s.signer(), localIsoDate())}
                onRemove={() => s.checklists.removeAction(props.checklist.id, a.id)}
              />
            )}
          </For>
        </ul>
      </Show>
      <Show
        when={adding()}
        fallback={<button class="btn small" type="button" onClick={open} aria-label={`Add an action for ${props.item.title}`}>Add an action</button>}
      >
        <NewActionForm
          compact
          add={(a) => {
            const r = s.checklists.addAction(props.checklist, { ...a, done: false, item: props.item.key });
            if (r.ok) setAdding(false);
            return r;
          }}
        />
        <button class="link" type="button" onClick={() => setAdding(false)}>Cancel</button>
      </Show>
    </div>
  );
}
