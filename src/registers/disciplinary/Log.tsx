import { createMemo, createSignal, Show } from 'solid-js';
import { formatDate } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import { namedLogCsv, redactedLogCsv } from './export';
import type { DisciplinaryEntry } from './model';
import { type Access, DisciplinaryNav, KeyNotice, TierBadge } from './parts';
import { plural, pluralWord } from '../../domain/plural';

export type EntryStatus = 'standing' | 'corrected' | 'withdrawn';

export interface LogRow {
  entry: DisciplinaryEntry;
  personName: string;
  status: EntryStatus;
}

export const STATUS_LABEL: Record<EntryStatus, string> = { standing: 'Standing', corrected: 'Corrected', withdrawn: 'Withdrawn' };

const collator = new Intl.Collator(undefined, { sensitivity: 'base' });
const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

const SORTS: Record<string, { label: string; compare: (a: LogRow, b: LogRow) => number }> = {
  newest: { label: 'Newest first', compare: (a, b) => cmp(b.entry.date, a.entry.date) || cmp(b.entry.at, a.entry.at) },
  oldest: { label: 'Oldest first', compare: (a, b) => cmp(a.entry.date, b.entry.date) || cmp(a.entry.at, b.entry.at) },
  person: { label: 'Person', compare: (a, b) => collator.compare(a.personName, b.personName) || cmp(b.entry.date, a.entry.date) },
};

/** The confidential log, for officers: search, filters, sort, and the export (redacted unless names are asked for). */
export function LogList(props: { access: Access }) {
  const s = useSession();
  const d = () => s.disciplinary;
  const [query, setQuery] = createSignal('');
  const [tier, setTier] = createSignal('');
  const [policy, setPolicy] = createSignal('');
  const [year, setYear] = createSignal('');
  const [status, setStatus] = createSignal<EntryStatus | 'all'>('standing');
  const [sort, setSort] = createSignal('newest');
  const [withNames, setWithNames] = createSignal(false);

  const rows = createMemo<LogRow[]>(() => {
    const { all, correctedBy, withdrawnBy } = d().log();
    return all.map((entry) => ({
      entry,
      personName: s.people.nameOf(entry.personId) || 'Unknown person',
      status: withdrawnBy.has(entry.id) ? 'withdrawn' : correctedBy.has(entry.id) ? 'corrected' : 'standing',
    }));
  });
  const policies = createMemo(() => [...new Set(rows().map((r) => r.entry.policy))].sort(collator.compare));
  const years = createMemo(() => [...new Set(rows().map((r) => r.entry.date.slice(0, 4)))].sort().reverse());
  const shown = createMemo(() => {
    const list = rows().filter(
      (r) =>
        (status() === 'all' || r.status === status()) &&
        (!tier() || r.entry.tierId === tier()) &&
        (!policy() || r.entry.policy === policy()) &&
        (!year() || r.entry.date.startsWith(year())) &&
        matchesQuery(query(), r.personName, r.entry.policy, r.entry.tierName, r.entry.facts, r.entry.outcome, r.entry.evidence, s.people.nameOf(r.entry.decidedById)),
    );
    return list.sort(SORTS[sort()]!.compare);
  });
  const tierName = (id: string) => d().tierById().get(id)?.name;
  const exportCsv = () => {
    const entries = shown().map((r) => r.entry);
    downloadCsv(
      withNames()
        ? namedLogCsv(entries, s.people.nameOf, tierName, fileStamp())
        : redactedLogCsv(entries, s.people.all().map((p) => p.name), tierName, fileStamp()),
    );
  };
  const officerNames = () => props.access.officers().map((id) => s.people.nameOf(id)).filter(Boolean).join(', ');
  const [resealNote, setResealNote] = createSignal<string>();
  const [resealing, setResealing] = createSignal(false);
  const reseal = async () => {
    setResealing(true);
    const r = await d().reseal(props.access.actor());
    setResealing(false);
    setResealNote(typeof r === 'number' ? `${plural(r, 'entry', 'entries')} re-sealed.` : r);
  };

  return (
    <>
      <ScreenHeader title="Disciplinary log">
        <Show when={d().tiers().length > 0 && !d().writeProblem()}>
          <a class="btn primary small" href={href('disciplinary', 'new')}>New entry</a>
        </Show>
      </ScreenHeader>
      <DisciplinaryNav current="log" />
      <p class="dc-confidential" role="note">
        <strong>Confidential.</strong> Only the officers ({officerNames() || 'none on this device'}) can read this log. Entries are encrypted on
        the officer's phone before they sync.
      </p>
      <KeyNotice />
      <Show when={d().unsealed().size > 0}>
        <section class="card dc-warning" role="note" data-testid="unsealed">
          <h2>{plural(d().unsealed().size, 'entry was', 'entries were')} written before the log was encrypted</h2>
          <p>
            {pluralWord(d().unsealed().size, 'It is', 'They are')} stored in a readable form (base64) that every member's device and the relay could read, and that
            anyone could have added. Check {pluralWord(d().unsealed().size, 'it', 'them')} (marked “Not sealed”), then re-seal: the log then shows the sealed copy.
            The old copies stay in the document's history, because entries are never deleted.
          </p>
          <button class="btn block" disabled={resealing() || !!d().writeProblem()} onClick={() => void reseal()}>
            Re-seal {plural(d().unsealed().size, 'entry', 'entries')}
          </button>
        </section>
      </Show>
      <Show when={resealNote()}><p class="muted" role="status">{resealNote()}</p></Show>
      <Show when={d().unreadable() > 0}>
        <p class="card dc-notice" role="status">{plural(d().unreadable(), 'entry', 'entries')} could not be opened on this device.</p>
      </Show>
      <Show
        when={d().tiers().length > 0 || rows().length > 0}
        fallback={
          <EmptyState title="Document the process first">
            <p>Each entry is placed in a tier of the documented process. Set up the tiers, then record decisions here.</p>
            <a class="btn primary block" href={href('disciplinary', 'process')}>Set up the process</a>
          </EmptyState>
        }
      >
        <Show
          when={rows().length > 0}
          fallback={
            <Show when={!d().writeProblem() && d().waitingForKey() === 0}>
              <EmptyState title="No entries yet">
                <p>Record a decision when a policy has been breached: who, which policy, which tier, the facts, the outcome and who decided.</p>
                <a class="btn primary block" href={href('disciplinary', 'new')}>Record an entry</a>
              </EmptyState>
            </Show>
          }
        >
          <div class="filters">
            <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Person, policy, facts or outcome" />
            <div class="row compact">
              <SelectField label="Tier" value={tier()} onChange={setTier} placeholder="All tiers" options={d().allTiers().map((t) => ({ value: t.id, label: t.name }))} />
              <SelectField label="Policy" value={policy()} onChange={setPolicy} placeholder="All policies" options={policies().map((p) => ({ value: p, label: p }))} />
            </div>
            <div class="row compact">
              <SelectField label="Year" value={year()} onChange={setYear} placeholder="All years" options={years().map((y) => ({ value: y, label: y }))} />
              <SelectField
                label="Show"
                value={status()}
                onChange={(v) => setStatus(v as EntryStatus | 'all')}
                options={[
                  { value: 'standing', label: 'Standing' },
                  { value: 'corrected', label: 'Corrected' },
                  { value: 'withdrawn', label: 'Withdrawn' },
                  { value: 'all', label: 'All entries' },
                ]}
              />
              <SelectField label="Sort" value={sort()} onChange={setSort} options={Object.entries(SORTS).map(([value, x]) => ({ value, label: x.label }))} />
            </div>
          </div>
          <p class="muted count" aria-live="polite" data-testid="entry-count">
            {shown().length} of {plural(rows().length, 'entry', 'entries')}
          </p>
          <Show when={shown().length > 0} fallback={<p class="muted center">No entry matches these filters.</p>}>
            <VirtualList items={shown()} label="Log entries" rowHeight={96}>
              {(r) => (
                <a class="list-item" href={href('disciplinary', 'entry', { id: r.entry.id })} data-testid="entry-row">
                  <div class="grow">
                    <div class="row spread dc-row-head">
                      <span class="title">{r.personName}</span>
                      <span class="muted">{formatDate(r.entry.date)}</span>
                    </div>
                    <div class="dc-badges">
                      <TierBadge tierId={r.entry.tierId} fallback={r.entry.tierName} />
                      <Show when={r.status !== 'standing'}><Badge tone="muted">{STATUS_LABEL[r.status]}</Badge></Show>
                      <Show when={d().unsealed().has(r.entry.id)}><Badge tone="warn">Not sealed</Badge></Show>
                    </div>
                    <div class="muted dc-ellipsis">{r.entry.policy} · {r.entry.outcome}</div>
                  </div>
                </a>
              )}
            </VirtualList>
          </Show>
          <section class="card dc-export">
            <h2>Export</h2>
            <p class="muted">Exports the {plural(shown().length, 'entry', 'entries')} shown. By default the file holds only the entry id, date, tier, policy and outcome: no names.</p>
            <label class="check">
              <input type="checkbox" checked={withNames()} onChange={(e) => setWithNames(e.currentTarget.checked)} /> Include names
            </label>
            <Show when={withNames()}>
              <p class="dc-warning" role="alert">
                This file will contain personal data: the names of the people concerned, the facts and who decided. Export it only for a legitimate
                purpose, keep it somewhere only officers can open, and delete it when it is no longer needed.
              </p>
            </Show>
            <button class={`btn block${withNames() ? ' dc-danger' : ''}`} onClick={exportCsv}>
              {withNames() ? 'Export CSV with names (personal data)' : 'Export redacted CSV'}
            </button>
          </section>
        </Show>
      </Show>
    </>
  );
}
