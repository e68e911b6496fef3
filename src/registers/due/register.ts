import { defineRegister } from '../../ui/register';
import { createDueBadge } from './badge';

/** Due reads the other registers; it has no document of its own. */
export const register = defineRegister({
  name: 'due',
  label: 'Due',
  sections: [
    // `later`: reviews' part of Due loads with the later stores; the screen opens once it is in, never without it.
    { section: 'due', label: 'Due', icon: 'M12 7v5l3 2M12 21a9 9 0 1 0 0-18 9 9 0 0 0 0 18z', blurb: 'What is due: overdue, this week, this month', screen: () => import('./Screen'), order: 110, later: true },
  ],
  // The app icon shows what is overdue or due this week (Badging API, where supported).
  start: (s) => void createDueBadge(s),
});
