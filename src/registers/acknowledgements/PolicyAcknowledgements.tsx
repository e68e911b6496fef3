import { Tabs } from '@kobalte/core/tabs';
import { createMemo, createSignal, Show } from 'solid-js';
import { formatInstant } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, fileStamp } from '../../ui/common';
import { Field } from '../../ui/Field';
import { href } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import type { Person } from '../people/model';
import { acknowledgementsCsv } from './export';
import type { Policy, Publication } from '../policies/model';
import { ackRoster, myPoliciesHref, type RosterRow } from './model';

/** On a policy's detail (slot 'policy-detail'): who has acknowledged its current version, or why nobody can yet. */
export default function PolicyAcknowledgements(props: { policy: Policy; current: Publication | undefined }) {
  return (
    <Show
      when={props.current}
      fallback={
        <section class="card">
          <h2>Acknowledgements</h2>
          <p class="muted">Nobody can acknowledge this policy until a version is published. Publish the approved text and everyone it applies to will see it in My policies.</p>
        </section>
      }
    >
      {(c) => <Roster policy={props.policy} current={c()} />}
    </Show>
  );
}

function Roster(props: { policy: Policy; current: Publication }) {
  const s = useSession();
  const roster = createMemo(() => ackRoster(props.policy, props.current, s.access.visiblePeople(), s.acknowledgements.forPolicy(props.policy.id), s.roles.byPerson()));
  const done = createMemo(() => roster().filter((r) => r.status === 'current'));
  const notYet = createMemo(() => roster().filter((r) => r.status !== 'current'));
  const [tab, setTab] = createSignal<'todo' | 'done'>('todo');
  const [query, setQuery] = createSignal('');
  const [copied, setCopied] = createSignal('');
  const rows = createMemo(() => (tab() === 'done' ? done() : notYet()).filter((r) => matchesQuery(query(), r.person.name, r.person.team)));
  const pc = () => (roster().length ? Math.round((done().length / roster().length) * 100) : 0);

  const copyLink = async (r: RosterRow<Person>) => {
    const link = `${location.origin}${location.pathname}${myPoliciesHref(r.person.id, props.policy.id)}`;
    try {
      await navigator.clipboard.writeText(link);
      setCopied(`Copied ${r.person.name}’s personal link.`);
    } catch {
      setCopied(`${r.person.name}’s personal link: ${link}`);
    }
  };

  return (
    <section class="card roster" aria-labelledby="roster-title">
      <h2 id="roster-title">Acknowledgements of version {props.current.version}</h2>
      <div class="rate" data-testid="roster-rate">{done().length} of {roster().length}</div>
      <div class="meter" role="img" aria-label={`${pc()}% acknowledged`}><span style={{ width: `${pc()}%` }} /></div>
      <Show when={roster().length > 0} fallback={<p class="muted">This policy applies to nobody in People yet.</p>}>
        <Tabs value={tab()} onChange={(v) => setTab(v as 'todo' | 'done')}>
          <Tabs.List class="tabs-list" aria-label="Who has acknowledged">
            <Tabs.Trigger class="tab-trigger" value="todo">Not yet ({notYet().length})</Tabs.Trigger>
            <Tabs.Trigger class="tab-trigger" value="done">Acknowledged ({done().length})</Tabs.Trigger>
          </Tabs.List>
        </Tabs>
        <Show when={roster().length > 8}>
          <Field label="Find a person" type="search" value={query()} onChange={setQuery} />
        </Show>
        <Show when={rows().length > 0} fallback={<p class="muted center">{tab() === 'done' ? 'Nobody has acknowledged this version yet.' : 'Everyone has acknowledged this version.'}</p>}>
          <VirtualList items={rows()} rowHeight={56} label={tab() === 'done' ? 'Acknowledged' : 'Not yet acknowledged'}>
            {(r) => (
              <div class="roster-row" data-testid="roster-row" data-status={r.status}>
                <a class="list-item" href={href('people', r.person.id)}>
                  <div class="grow">
                    <div class="title">{r.person.name}</div>
                    <div class="muted small">
                      {r.status === 'current' && r.ack
                        ? `Version ${r.ack.version}, ${formatInstant(r.ack.at)}${r.ack.signature ? ' · signed' : ''}`
                        : r.status === 'stale' && r.ack
                          ? `Stale (version ${r.ack.version})`
                          : 'Not acknowledged'}
                      {r.person.team ? ` · ${r.person.team}` : ''}
                    </div>
                  </div>
                  <Show when={r.status === 'current'} fallback={<Badge tone={r.status === 'stale' ? 'warn' : 'bad'}>{r.status === 'stale' ? 'Stale' : 'Missing'}</Badge>}>
                    <Badge tone="ok">Done</Badge>
                  </Show>
                </a>
                <Show when={r.status !== 'current'}>
                  <button class="link" onClick={() => void copyLink(r)} aria-label={`Copy ${r.person.name}’s personal link`}>Link</button>
                </Show>
              </div>
            )}
          </VirtualList>
        </Show>
        <Show when={copied()}><p class="muted small" role="status" style={{ 'overflow-wrap': 'anywhere' }}>{copied()}</p></Show>
        <button class="btn block" onClick={() => downloadCsv(acknowledgementsCsv(props.policy, props.current, roster(), fileStamp()))}>Export as CSV</button>
      </Show>
    </section>
  );
}
