import type { ChecklistStatus } from './model';

export const STATUS_TONE: Record<ChecklistStatus, 'ok' | 'warn' | 'bad' | 'info' | 'muted'> = {
  'in-progress': 'muted',
  ready: 'info',
  complete: 'ok',
  'signed-with-gaps': 'warn',
  changed: 'bad',
};
