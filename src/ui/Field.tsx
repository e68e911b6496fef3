import { TextField } from '@kobalte/core/text-field';
import { createEffect, type JSX, on, Show, splitProps } from 'solid-js';

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
  /** The input (or, for a multiline field, the textarea, typed as an input for the callers that only read `validity`). */
  ref?: (el: HTMLInputElement) => void;
  /** The longest text stored: a count shows once 80% of it is used. */
  maxLength?: number;
  /** Scroll a new error into view (fields saved on blur, whose error appears after the next tap elsewhere). */
  revealError?: boolean;
}

const count = (n: number) => n.toLocaleString('en-GB');

/** A labelled text input with its validation message, announced to screen readers. */
export function Field(props: FieldProps) {
  const [local] = splitProps(props, ['label', 'error', 'description', 'multiline']);
  let errorEl: HTMLDivElement | undefined;
  createEffect(on(() => local.error, (error, was) => {
    if (error && error !== was && props.revealError) errorEl?.scrollIntoView({ block: 'nearest' });
  }, { defer: true }));
  const counter = () => {
    const max = props.maxLength;
    return max && props.value.length > max * 0.8 ? `${count(props.value.length)} of ${count(max)} characters` : undefined;
  };
  const description = () => [local.description, counter()].filter(Boolean).join(' · ');
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
        <TextField.TextArea
          class="input textarea"
          placeholder={props.placeholder}
          onBlur={props.onBlur}
          autoResize
          ref={(el: HTMLTextAreaElement) => props.ref?.(el as unknown as HTMLInputElement)}
        />
      </Show>
      <Show when={description()}>
        <TextField.Description class="field-hint">{description()}</TextField.Description>
      </Show>
      <TextField.ErrorMessage class="field-error" role="alert" ref={(el: HTMLDivElement) => (errorEl = el)}>{local.error}</TextField.ErrorMessage>
    </TextField>
  );
}

// Home draws SelectFields only: its own module keeps Kobalte's TextField off Home's first load.
export { SelectField, type SelectFieldProps } from './SelectField';
