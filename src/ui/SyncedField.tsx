import { type Accessor, createContext, createEffect, createSignal, type JSX, onCleanup, onMount, useContext } from 'solid-js';
import { Field, type FieldProps } from './Field';

/** A typed value that could not be saved, and where it is. */
export interface UnsavedDraft {
  /** Where, in words: "Brief the team · Note". */
  label: string;
  error: string;
  /** Scrolls the field into view and puts the cursor in it. */
  reveal: () => void;
}

const UnsavedContext = createContext<(d: UnsavedDraft) => () => void>();

/**
 * The fields of a screen whose text could not be saved (too long, say), so
 * the screen can refuse to sign off a record while part of what was typed is
 * not in it, and say where.
 *
 * @example
 * const unsaved = createUnsavedDrafts();
 * <unsaved.Provider>…SyncedFields…</unsaved.Provider>; unsaved.list().length
 */
export function createUnsavedDrafts(): { list: Accessor<UnsavedDraft[]>; Provider: (props: { children: JSX.Element }) => JSX.Element } {
  const [list, setList] = createSignal<UnsavedDraft[]>([]);
  const add = (d: UnsavedDraft) => {
    setList((l) => [...l, d]);
    return () => setList((l) => l.filter((x) => x !== d));
  };
  return { list, Provider: (props) => <UnsavedContext.Provider value={add}>{props.children}</UnsavedContext.Provider> };
}

/** Drafts that could not be saved when their screen closed, by `draftKey`: they come back with their message. */
const leftBehind = new Map<string, string>();

export type SyncedFieldProps = Omit<FieldProps, 'value' | 'onChange' | 'onBlur' | 'error' | 'revealError'> & {
  stored: string;
  save: (value: string) => string | undefined;
  /** Names the draft if it cannot be saved (defaults to the label). */
  where?: string;
  /** Keeps an unsaved draft across leaving and reopening the screen. */
  draftKey?: string;
};

/**
 * A field bound to a stored value: it shows what is stored (including edits
 * arriving from other devices) until you type, and saves when you leave it.
 * Text that cannot be saved stays in the field
 * with the reason beside it, scrolled into view and announced; it is never
 * dropped without a word.
 */
export function SyncedField(props: SyncedFieldProps) {
  // Read once: when the screen closes, its reactive props can no longer be read.
  const key = props.draftKey;
  const restored = key === undefined ? undefined : leftBehind.get(key);
  if (key !== undefined) leftBehind.delete(key);
  const [draft, setDraft] = createSignal<string | undefined>(restored);
  const [error, setError] = createSignal<string>();
  let input: HTMLInputElement | HTMLTextAreaElement | undefined;
  const commit = () => {
    const d = draft();
    if (d === undefined) return;
    const err = d === props.stored ? undefined : props.save(d);
    if (!err) {
      setError(undefined);
      setDraft(undefined);
      return;
    }
    // Shown once the tap that left the field has landed: a message appearing
    // between its touch and its click would move the page under the finger.
    setTimeout(() => {
      if (draft() === d) setError(err);
    }, 0);
  };
  const register = useContext(UnsavedContext);
  createEffect(() => {
    const err = error();
    if (!register || !err || draft() === undefined) return;
    onCleanup(
      register({
        label: props.where ?? props.label,
        error: err,
        reveal: () => {
          input?.scrollIntoView({ block: 'center' });
          input?.focus({ preventScroll: true });
        },
      }),
    );
  });
  // A restored draft says again why it is not saved (or saves, if it now can).
  if (restored !== undefined) onMount(commit);
  // Closed while typing (no blur): the draft waits for the screen to open again, and is saved then.
  onCleanup(() => {
    const d = draft();
    if (d !== undefined && key !== undefined) leftBehind.set(key, d);
  });
  return (
    <Field
      {...props}
      value={draft() ?? props.stored}
      onChange={setDraft}
      onBlur={commit}
      error={error()}
      revealError
      ref={(el) => {
        input = el;
        props.ref?.(el as HTMLInputElement);
      }}
    />
  );
}
