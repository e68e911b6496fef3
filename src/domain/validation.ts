import * as v from 'valibot';

/** Result of validating user input: either a clean value or one message per field. */
export type Validated<T> =
  | { ok: true; value: T }
  | { ok: false; errors: Partial<Record<string, string>> };

/**
 * Runs a valibot schema and turns its issues into one human message per field,
 * the shape every form in the app shows under its inputs.
 */
export function validateWith<T>(schema: v.GenericSchema<unknown, T>, input: unknown): Validated<T> {
  const result = v.safeParse(schema, input);
  if (result.success) return { ok: true, value: result.output };
  const errors: Partial<Record<string, string>> = {};
  for (const issue of result.issues) {
    const key = issue.path?.map((p) => String(p.key)).join('.') || '_';
    errors[key] ??= issue.message;
  }
  return { ok: false, errors };
}
