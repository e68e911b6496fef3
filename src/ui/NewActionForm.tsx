import { createSignal } from 'solid-js';
import { formatDate, isIsoDate, localIsoDate } from '../domain/dates';
import type { Validated } from '../domain/validation';
import { Field, SelectField } from './Field';
import { useSession } from './session';

/** What every action starts with: the rest (done flag, status) is the register's. */
export interface NewAction {
  text: string;
  ownerId: string;
  /** ISO date or ''. */
  due: string;
}

const EMPTY: NewAction = { text: '', ownerId: '', due: '' };

/**
 * The "add an action" form of briefing minutes and management reviews: text,
 * owner, due date, with the register's validation messages under the fields.
 * A due date before today asks for confirmation at the field first (the
 * button becomes "Add with this date"); nothing is stored until then.
 *
 * @example
 * <NewActionForm add={(a) => s.briefings.addAction(id, { ...a, done: false })} />
 */
export function NewActionForm(props: { add: (action: NewAction) => Validated<unknown>; compact?: boolean }) {
  const s = useSession();
  const [draft, setDraft] = createSignal<NewAction>({ ...EMPTY });
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  /** A due date before today that the person was asked to confirm: the next tap on the button adds it. */
  const [pastAsked, setPastAsked] = createSignal('');
  const pastPending = () => !!pastAsked() && pastAsked() === draft().due;
  let dueInput: HTMLInputElement | undefined;
  const submit = (e: Event) => {
    e.preventDefault();
    if (dueInput?.validity.badInput) return setErrors({ due: 'Enter a complete due date, or clear it.' });
    const { text, due } = draft();
    if (text.trim() && isIsoDate(due) && due < localIsoDate() && !pastPending()) {
      setErrors({});
      return setPastAsked(due);
    }
    const r = props.add(draft());
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    setPastAsked('');
    setDraft({ ...EMPTY });
  };
  const owners = () => s.people.active().map((p) => ({ value: p.id, label: p.name }));
  return (
    <form onSubmit={submit} novalidate class="stack">
      <Field label="New action" value={draft().text} onChange={(v) => setDraft({ ...draft(), text: v })} error={errors()['text']} />
      <div class="row" classList={{ compact: !!props.compact }}>
        <SelectField label="Owner" value={draft().ownerId} onChange={(v) => setDraft({ ...draft(), ownerId: v })} placeholder="No owner" options={owners()} />
        <Field
          label="Due"
          type="date"
          value={draft().due}
          onChange={(v) => setDraft({ ...draft(), due: v })}
          error={errors()['due'] ?? (pastPending() ? `${formatDate(draft().due)} is in the past: the action will be overdue at once. Tap “Add with this date” to keep it, or change the date.` : undefined)}
          ref={(el) => (dueInput = el)}
        />
      </div>
      <button class="btn" type="submit">{pastPending() ? 'Add with this date' : 'Add action'}</button>
    </form>
  );
}
