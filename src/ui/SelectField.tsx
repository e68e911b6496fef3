import { createUniqueId, For, Show } from 'solid-js';

export interface SelectFieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  options: ReadonlyArray<{ value: string; label: string }>;
  error?: string | undefined;
  placeholder?: string;
  name?: string;
}

/** A native select: on a phone it opens the system picker, which beats any custom list. */
export function SelectField(props: SelectFieldProps) {
  const id = `sel-${createUniqueId()}`;
  return (
    <div class="field" data-invalid={props.error ? '' : undefined}>
      <label class="field-label" for={id}>{props.label}</label>
      <select
        id={id}
        class="input"
        name={props.name}
        value={props.value}
        aria-invalid={props.error ? 'true' : undefined}
        aria-describedby={props.error ? `${id}-err` : undefined}
        onChange={(e) => props.onChange(e.currentTarget.value)}
      >
        <Show when={props.placeholder !== undefined}>
          <option value="">{props.placeholder}</option>
        </Show>
        <For each={props.options}>{(o) => <option value={o.value} selected={o.value === props.value}>{o.label}</option>}</For>
      </select>
      <Show when={props.error}>
        <div id={`${id}-err`} class="field-error" role="alert">{props.error}</div>
      </Show>
    </div>
  );
}
