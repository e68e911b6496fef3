import { SIGN_OFF_TONE } from '../../domain/signoff';

/** Also the resources register's: it lives with the other date formats. */
export { formatPeriod } from '../../domain/dates';

/** The same tones as every signed register (src/domain/signoff.ts). */
export const APPROVAL_TONE = SIGN_OFF_TONE;
