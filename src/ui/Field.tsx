import { TextField } from '@kobalte/core/text-field';
import { createUniqueId, For, type JSX, Show, splitProps } from 'solid-js';

export interface FieldProps {
  label: string;
  value: string;
  onChange: (value: string) => void;
  error?: string | undefined;
  description?: string;
  type?: 'text' | 'email' | 'date' | 'month' | 'search';
  multiline?: boolean;
  required?: boolean;
  placeholder?: string;
  name?: string;
  autocomplete?: string;
  list?: string;
  /** Fires when the field loses focus: for fields saved on blur. */
  onBlur?: JSX.EventHandler<HTMLInputElement | HTMLTextAreaElement, FocusEvent>;
  ref?: (el: HTMLInputElement) => void;
}

/** A labelled text input with its validation message, announced to screen readers. */
export function Field(props: FieldProps) {
  const [local] = splitProps(props, ['label', 'error', 'description', 'multiline']);
  return (
    <TextField
      class="field"
      value={props.value}
      onChange={props.onChange}
      validationState={local.error ? 'invalid' : 'valid'}
      required={props.required ?? false}
      {...(props.name ? { name: props.name } : {})}
    >
      <TextField.Label class="field-label">{local.label}</TextField.Label>
      <Show
        when={local.multiline}
        fallback={
          <TextField.Input
            class="input"
            type={props.type ?? 'text'}
            placeholder={props.placeholder}
            autocomplete={props.autocomplete}
            list={props.list}
            onBlur={props.onBlur}
            ref={props.ref}
          />
        }
      >
        <TextField.TextArea class="input textarea" placeholder={props.placeholder} onBlur={props.onBlur} autoResize />
      </Show>
      <Show when={local.description}>
        <TextField.Description class="field-hint">{local.description}</TextField.Description>
      </Show>
      <TextField.ErrorMessage class="field-error">{local.error}</TextField.ErrorMessage>
    </TextField>
  );
}

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
