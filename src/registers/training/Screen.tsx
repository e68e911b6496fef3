import { Match, Switch } from 'solid-js';
import { route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { CourseForm, CourseList } from './Courses';
import { createTrainingFacts } from './facts';
import { TrainingLog } from './Log';
import { Matrix } from './Matrix';
import { BulkForm, CompletionDetail, RecordForm } from './Record';
import './training.css';

/*
 * Routes:
 *   #/training                         the log of completions
 *   #/training/new?course=&person=     record one completion
 *   #/training/bulk?briefing=          record for a briefing's attendees or a team
 *   #/training/entry?id=               one completion, and its correction
 *   #/training/courses                 courses
 *   #/training/course-new              add a course
 *   #/training/course?id=              edit a course
 *   #/training/matrix?course=          who is valid / expiring / expired / missing
 */
export default function TrainingScreen() {
  const facts = createTrainingFacts(useSession());
  const param = (k: string) => route().params.get(k) ?? '';
  return (
    <Switch fallback={<TrainingLog facts={facts} />}>
      <Match when={route().id === 'new'}><RecordForm facts={facts} /></Match>
      <Match when={route().id === 'bulk'}><BulkForm facts={facts} /></Match>
      <Match when={route().id === 'entry'}><CompletionDetail facts={facts} id={param('id')} /></Match>
      <Match when={route().id === 'courses'}><CourseList facts={facts} /></Match>
      <Match when={route().id === 'course-new'}><CourseForm facts={facts} /></Match>
      <Match when={route().id === 'course'}><CourseForm facts={facts} id={param('id')} /></Match>
      <Match when={route().id === 'matrix'}><Matrix facts={facts} /></Match>
    </Switch>
  );
}
