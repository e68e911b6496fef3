import { createSignal } from 'solid-js';
import { Field, type FieldProps } from './Field';

/**
 * A field bound to a stored value: it shows what is stored (including edits
 * arriving from other devices) until you type, and saves when you leave it.
 */
export function SyncedField(props: Omit<FieldProps, 'value' | 'onChange' | 'onBlur' | 'error'> & { stored: string; save: (value: string) => string | undefined }) {
  const [draft, setDraft] = createSignal<string>();
  const [error, setError] = createSignal<string>();
  const commit = () => {
    const d = draft();
    if (d === undefined) return;
    const err = d === props.stored ? undefined : props.save(d);
    setError(err);
    if (!err) setDraft(undefined);
  };
  return <Field {...props} value={draft() ?? props.stored} onChange={setDraft} onBlur={commit} error={error()} />;
}
