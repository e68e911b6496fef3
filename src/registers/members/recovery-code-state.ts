import { createSignal } from 'solid-js';

/** A recovery code just made (creation, or an owner's new code), until its owner says they kept it: in memory only, never stored. */
const [recoveryCode, setRecoveryCode] = createSignal<string>();
export { recoveryCode };
export const showRecoveryCode = (code: string) => setRecoveryCode(code);
export const recoveryKept = () => setRecoveryCode(undefined);
