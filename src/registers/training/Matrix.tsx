import { createMemo, createSignal, For, Show } from 'solid-js';
import { formatDate } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import { matrixCsv } from './export';
import { audienceText, STATUS_TONE, statusCounts, type TrainingFacts } from './facts';
import { NoCourses, TrainingNav } from './Log';
import { courseMatrixHref, renewalLabel, STATUS_LABELS, type TrainingCell } from './model';
import { countOf } from '../../domain/plural';

const ORDER: Record<TrainingCell['status'], number> = { missing: 0, expired: 1, expiring: 2, valid: 3 };
const STATUSES = ['missing', 'expired', 'expiring', 'valid'] as const;

/** One course: every person who must do it, and where they stand today. */
export function Matrix(props: { facts: TrainingFacts }) {
  const s = useSession();
  const courseId = createMemo(() => {
    const wanted = route().params.get('course') ?? '';
    return s.training.courseById().has(wanted) ? wanted : (s.training.activeCourses()[0]?.id ?? '');
  });
  const course = () => s.training.courseById().get(courseId());
  const [team, setTeam] = createSignal('');
  const [status, setStatus] = createSignal('');
  const [query, setQuery] = createSignal('');
  const cells = createMemo(() =>
    [...props.facts.cellsFor(courseId())].sort((a, b) => ORDER[a.status] - ORDER[b.status] || a.person.name.localeCompare(b.person.name)),
  );
  const counts = createMemo(() => statusCounts(cells()));
  const shown = createMemo(() =>
    cells().filter((c) => (!team() || c.person.team === team()) && (!status() || c.status === status()) && matchesQuery(query(), c.person.name, c.person.team)),
  );
  const go = (id: string) => (location.hash = courseMatrixHref(id));
  return (
    <>
      <ScreenHeader title="Training matrix">
        <Show when={course()}>{(c) => <a class="btn small" href={href('training', 'course', { id: c().id })}>Edit course</a>}</Show>
      </ScreenHeader>
      <TrainingNav current="matrix" />
      <Show when={course()} fallback={<NoCourses />}>
        {(c) => (
          <>
            <SelectField label="Course" value={courseId()} onChange={go} options={s.training.courses().map((x) => ({ value: x.id, label: x.archived ? `${x.title} (archived)` : x.title }))} />
            <p class="muted">{renewalLabel(c().renewalMonths)} · {audienceText(c(), props.facts.roleName)}</p>
            <Show when={c().archived}><p class="warn">This course is archived: nobody is required to do it.</p></Show>
            <div class="tr-status-filter" role="group" aria-label="Show only">
              <For each={STATUSES}>
                {(st) => (
                  <button
                    class={`tr-tile ${STATUS_TONE[st]}`}
                    aria-pressed={status() === st}
                    onClick={() => setStatus(status() === st ? '' : st)}
                    data-testid={`matrix-count-${st}`}
                  >
                    <strong>{counts()[st]}</strong>
                    <span>{STATUS_LABELS[st]}</span>
                  </button>
                )}
              </For>
            </div>
            <div class="filters">
              <div class="row compact">
                <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Name or team" />
                <SelectField label="Team" value={team()} onChange={setTeam} placeholder="All teams" options={s.access.teamOptions().map((t) => ({ value: t, label: t }))} />
              </div>
            </div>
            <p class="muted count" aria-live="polite">
              {countOf(shown().length, cells().length, 'person', 'people')} who must do it{status() ? ` · ${STATUS_LABELS[status() as TrainingCell['status']].toLowerCase()} only` : ''}
            </p>
            <Show
              when={cells().length > 0}
              fallback={
                <EmptyState title="Nobody must do this course">
                  <p>Nobody active is in its audience. <a href={href('training', 'course', { id: c().id })}>Change who must do it</a>, or add people.</p>
                </EmptyState>
              }
            >
              <Show when={shown().length > 0} fallback={<p class="muted center">Nobody matches these filters.</p>}>
                <VirtualList items={shown()} label={`Matrix for ${c().title}`} rowHeight={64}>
                  {(cell) => (
                    <a
                      class="list-item"
                      href={
                        cell.status === 'valid' && cell.completion
                          ? href('training', 'entry', { id: cell.completion.id })
                          : href('training', 'new', { course: c().id, person: cell.person.id })
                      }
                      data-testid="matrix-row"
                      data-status={cell.status}
                    >
                      <div class="grow">
                        <div class="title">{cell.person.name}</div>
                        <div class="muted">{cell.person.team}</div>
                        <Show when={cell.completion}>
                          {(done) => (
                            <div class="muted">
                              {formatDate(done().completedOn)} → {done().expiresOn ? formatDate(done().expiresOn) : 'no expiry'}
                            </div>
                          )}
                        </Show>
                      </div>
                      <Badge tone={STATUS_TONE[cell.status]}>{STATUS_LABELS[cell.status]}</Badge>
                    </a>
                  )}
                </VirtualList>
              </Show>
            </Show>
            <div class="stack">
              <a class="btn primary block" href={href('training', 'bulk', { course: c().id })}>Record for a briefing’s attendees</a>
              <button class="btn block" onClick={() => downloadCsv(matrixCsv(c(), shown(), fileStamp()))}>Export this matrix as CSV</button>
            </div>
          </>
        )}
      </Show>
    </>
  );
}
