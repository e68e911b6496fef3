import { RadioGroup } from '@kobalte/core/radio-group';
import { For, Show } from 'solid-js';
import { formatDate, formatMonth, localIsoDate } from '../../domain/dates';
import { signOffState } from '../../domain/signoff';
import { Badge, EmptyState, ScreenHeader } from '../../ui/common';
import { SelectField } from '../../ui/Field';
import { href, navigate } from '../../ui/router';
import { useSession } from '../../ui/session';
import { SignOffPanel } from '../../ui/SignOffPanel';
import { SyncedField } from '../../ui/SyncedField';
import { briefingsFor } from '../briefings/model';
import { STATUS_TONE } from './status-tone';
import { BRIEF_ITEM_KEY, canSignOff, type Checklist, checklistSnapshot, type ItemStatus, STATUS_LABELS, type TemplateItem, unansweredItems } from './model';

const ANSWERS: ReadonlyArray<{ value: ItemStatus; label: string }> = [
  { value: 'done', label: 'Done' },
  { value: 'not-done', label: 'Not done' },
  { value: 'na', label: 'N/A' },
];

export default function ChecklistDetail(props: { id: string }) {
  const s = useSession();
  const checklist = () => s.checklists.byId().get(props.id);
  return (
    <Show
      when={checklist()}
      fallback={
        <>
          <ScreenHeader title="Checklist" back={href('checklists')} />
          <EmptyState title="Checklist not found">
            <p>It may not have synced to this device yet. <a href={href('checklists')}>Back to checklists</a></p>
          </EmptyState>
        </>
      }
    >
      {(c) => {
        const status = () => s.checklists.status(c());
        const history = () => s.checklists.history(c().id);
        return (
          <>
            <ScreenHeader title={`${c().team} · ${formatMonth(c().month)}`} back={href('checklists')} />
            <div class="row spread">
              <Badge tone={STATUS_TONE[status()]}>{STATUS_LABELS[status()]}</Badge>
              <span class="muted">{c().items.length - unansweredItems(c()).length}/{c().items.length} answered</span>
            </div>
            <ol class="items">
              <For each={c().items}>{(item) => <ChecklistItem checklist={c()} item={item} />}</For>
            </ol>
            <SignOffPanel
              what="checklist"
              state={signOffState(history(), checklistSnapshot(c()))}
              history={history()}
              signerName={s.signer().name}
              blocked={canSignOff(c()) ? undefined : `Answer every action to sign off (${unansweredItems(c()).length} left).`}
              onSign={(note) => s.checklists.signOff(c(), s.signer(), note)}
              onCorrect={(entryId, note, withdraws) => s.checklists.correct(c(), entryId, s.signer(), note, withdraws)}
            />
          </>
        );
      }}
    </Show>
  );
}

function ChecklistItem(props: { checklist: Checklist; item: TemplateItem }) {
  const s = useSession();
  const state = () => props.checklist.state[props.item.key];
  const set = (part: 'status' | 'note' | 'evidence' | 'briefingId', value: string) => s.checklists.setItem(props.checklist.id, props.item.key, part, value);
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
  return (
    <li class="card item" data-testid={`item-${props.item.key}`}>
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
      <Show when={props.item.key === BRIEF_ITEM_KEY}>
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
      <SyncedField label="Note" stored={state()?.note ?? ''} save={(v) => set('note', v)} multiline />
      <SyncedField label="Evidence reference" stored={state()?.evidence ?? ''} save={(v) => set('evidence', v)} placeholder={props.item.evidenceHint} />
    </li>
  );
}
