import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { formatDate, localIsoDate } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, navigate, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { VirtualList } from '../../ui/VirtualList';
import './agreements.css';
import { Attachments } from '../../attachments/Attachments';
import { agreementsCsv } from './export';
import { countOf } from '../../domain/plural';
import { plural } from '../../domain/plural';
import {
  AGREEMENT_TYPES,
  type Agreement,
  type AgreementFilter,
  type AgreementInput,
  agreementGaps,
  agreementStatus,
  type AgreementType,
  matchesFilter,
  partyLabel,
  STATUS_LABELS,
  TYPE_LABELS,
} from './model';
import { NotFound } from '../../ui/NotFound';

/*
 * Routes:
 *   #/agreements               the list, with who needs attention
 *   #/agreements/new?person=   add an agreement (for a person)
 *   #/agreements/<id>          edit, archive
 */
export default function AgreementsScreen() {
  return (
    <Switch fallback={<AgreementList />}>
      <Match when={route().id === 'new'}><AgreementForm /></Match>
      <Match when={route().id}>{(id) => <AgreementForm id={id()} />}</Match>
    </Switch>
  );
}

const STATUS_TONE = { ok: 'ok', unsigned: 'warn', expired: 'bad' } as const;

const FILTERS: Array<{ value: AgreementFilter; label: string }> = [
  { value: 'ok', label: 'In force' },
  { value: 'unsigned', label: 'Not signed' },
  { value: 'expired', label: 'Expired' },
  { value: 'no-clauses', label: 'No security clauses' },
];

const collator = new Intl.Collator(undefined, { sensitivity: 'base' });

const SORTS: Record<string, { label: string; compare: (a: Row, b: Row) => number }> = {
  party: { label: 'Party', compare: (a, b) => collator.compare(a.party, b.party) },
  signed: { label: 'Signed, newest first', compare: (a, b) => (b.a.signedOn || '9999').localeCompare(a.a.signedOn || '9999') || collator.compare(a.party, b.party) },
  expiry: { label: 'Expiry, soonest first', compare: (a, b) => (a.a.expiresOn || '9999').localeCompare(b.a.expiresOn || '9999') || collator.compare(a.party, b.party) },
};

interface Row {
  a: Agreement;
  party: string;
}

/** Policies to reference, from the policies register. */
function usePolicies() {
  const s = useSession();
  return {
    options: () => s.policies.active().map((p) => ({ id: p.id, title: p.title })),
    title: (id: string) => s.policies.byId().get(id)?.title ?? '',
  };
}

function AgreementList() {
  const s = useSession();
  const today = localIsoDate();
  const policies = usePolicies();
  const [query, setQuery] = createSignal('');
  const [type, setType] = createSignal('');
  const [filter, setFilter] = createSignal<AgreementFilter | ''>('');
  const [sort, setSort] = createSignal('party');
  const [showArchived, setShowArchived] = createSignal(false);
  const rows = createMemo<Row[]>(() => s.agreements.all().map((a) => ({ a, party: partyLabel(a, s.people.nameOf) })));
  const shown = createMemo(() =>
    rows()
      .filter(
        ({ a, party }) =>
          (showArchived() || !a.archived) &&
          (!type() || a.type === type()) &&
          matchesFilter(a, filter(), today) &&
          matchesQuery(query(), party, TYPE_LABELS[a.type], a.documentRef, a.notes, a.policyRefs),
      )
      .sort(SORTS[sort()]!.compare),
  );
  const gaps = createMemo(() => agreementGaps({ people: s.people.all(), agreements: s.agreements.all(), today }));
  const noClauses = createMemo(() => s.agreements.active().filter((a) => !a.securityClauses).length);
  return (
    <>
      <ScreenHeader title="Agreements">
        <a class="btn primary small" href={href('agreements', 'new')}>Add</a>
      </ScreenHeader>
      <Show when={gaps().length > 0 || noClauses() > 0}>
        <section class="card ag-flags" aria-labelledby="flags-title" data-testid="agreement-flags">
          <h2 id="flags-title">Needs attention</h2>
          <ul class="ag-flag-list">
            <For each={gaps().slice(0, 8)}>
              {(g) => (
                <li>
                  <a href={g.href} data-testid="agreement-gap" data-kind={g.kind}>
                    <strong>{s.people.nameOf(g.personId)}</strong>: {g.label.charAt(0).toLowerCase() + g.label.slice(1)}
                    {g.due ? ` (${formatDate(g.due)})` : ''}
                  </a>
                </li>
              )}
            </For>
          </ul>
          <Show when={gaps().length > 8}><p class="muted">And {gaps().length - 8} more: see the dashboard.</p></Show>
          <Show when={noClauses() > 0}>
            <button class="link" onClick={() => setFilter('no-clauses')}>
              {plural(noClauses(), 'agreement has', 'agreements have')} no security clauses
            </button>
          </Show>
        </section>
      </Show>
      <Show
        when={s.agreements.all().length > 0}
        fallback={
          <EmptyState title="No agreements yet">
            <p>Record each person’s employment contract or contractor agreement, NDAs and supplier agreements — whether they include security clauses, when they were signed and when they expire.</p>
            <a class="btn primary" href={href('agreements', 'new')}>Add an agreement</a>
          </EmptyState>
        }
      >
        <div class="filters">
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Party, document or notes" />
          <div class="row compact">
            <SelectField label="Type" value={type()} onChange={setType} placeholder="All types" options={AGREEMENT_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))} />
            <SelectField label="Status" value={filter()} onChange={(v) => setFilter(v as AgreementFilter | '')} placeholder="Any status" options={FILTERS} />
          </div>
          <SelectField label="Sort" value={sort()} onChange={setSort} options={Object.entries(SORTS).map(([value, x]) => ({ value, label: x.label }))} />
          <label class="check">
            <input type="checkbox" checked={showArchived()} onChange={(e) => setShowArchived(e.currentTarget.checked)} /> Show archived agreements
          </label>
        </div>
        <p class="muted count" aria-live="polite">{countOf(shown().length, s.agreements.all().length, 'agreement')}</p>
        <Show when={shown().length > 0} fallback={<p class="muted center">No agreement matches these filters.</p>}>
          <VirtualList items={shown()} label="Agreements" rowHeight={72}>
            {(r) => {
              const status = () => agreementStatus(r.a, today);
              return (
                <a class="list-item" href={href('agreements', r.a.id)} data-testid="agreement-row" data-status={status()}>
                  <div class="grow">
                    <div class="title">{r.party}</div>
                    <div class="muted">
                      {TYPE_LABELS[r.a.type]}
                      {r.a.signedOn ? ` · signed ${formatDate(r.a.signedOn)}` : ''}
                      {r.a.expiresOn ? ` · until ${formatDate(r.a.expiresOn)}` : ''}
                    </div>
                  </div>
                  <div class="ag-badges">
                    <Badge tone={r.a.archived ? 'muted' : STATUS_TONE[status()]}>{r.a.archived ? 'Archived' : STATUS_LABELS[status()]}</Badge>
                    <Show when={!r.a.securityClauses}><Badge tone="warn">No security clauses</Badge></Show>
                  </div>
                </a>
              );
            }}
          </VirtualList>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(agreementsCsv(shown().map((r) => r.a), s.people.nameOf, policies.title, today, fileStamp()))}>
          Export these as CSV
        </button>
      </Show>
    </>
  );
}

const EXTERNAL = '__external__';

const EMPTY: AgreementInput = { partyPersonId: '', partyName: '', type: 'employment', signedOn: '', expiresOn: '', securityClauses: true, policyIds: [], policyRefs: '', documentRef: '', notes: '' };

function AgreementForm(props: { id?: string }) {
  const s = useSession();
  const policies = usePolicies();
  const existing = (): Agreement | undefined => (props.id ? s.agreements.byId().get(props.id) : undefined);
  const initial = existing();
  const forPerson = route().params.get('person') ?? '';
  const [form, setForm] = createSignal<AgreementInput>(initial ? { ...initial } : { ...EMPTY, partyPersonId: forPerson });
  const [external, setExternal] = createSignal(initial ? !initial.partyPersonId : false);
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [saved, setSaved] = createSignal(false);
  let signedInput: HTMLInputElement | undefined;
  let expiresInput: HTMLInputElement | undefined;
  const set = <K extends keyof AgreementInput>(k: K) => (v: AgreementInput[K]) => {
    setSaved(false);
    setForm({ ...form(), [k]: v });
  };
  const chooseParty = (v: string) => {
    setSaved(false);
    setExternal(v === EXTERNAL);
    setForm({ ...form(), partyPersonId: v === EXTERNAL ? '' : v, type: v === EXTERNAL && form().type === 'employment' ? 'third-party' : form().type });
  };
  const togglePolicy = (id: string, on: boolean) => set('policyIds')(on ? [...form().policyIds.filter((x) => x !== id), id] : form().policyIds.filter((x) => x !== id));
  const submit = (e: Event) => {
    e.preventDefault();
    if (signedInput?.validity.badInput) return setErrors({ signedOn: 'Enter a complete signed date, or clear it if not signed yet.' });
    if (expiresInput?.validity.badInput) return setErrors({ expiresOn: 'Enter a complete expiry date, or clear it.' });
    const input = { ...form(), partyName: external() ? form().partyName : '' };
    const r = props.id ? s.agreements.update(props.id, input) : s.agreements.add(input, s.signer().name);
    if (!r.ok) return setErrors(r.errors);
    setErrors({});
    if (props.id) setSaved(true);
    else navigate('agreements');
  };
  const people = createMemo(() =>
    s.people.all().filter((p) => !p.archived || p.id === form().partyPersonId).map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` (${p.team})` : ''}${p.archived ? ' — left' : ''}` })),
  );
  return (
    <>
      <ScreenHeader title={props.id ? (existing() ? partyLabel(existing()!, s.people.nameOf) : 'Agreement') : 'Add an agreement'} back={href('agreements')} />
      <Show when={!props.id || existing()} fallback={<NotFound title="Agreement not found" />}>
        <form class="card" onSubmit={submit} novalidate>
          <SelectField
            label="With"
            value={external() ? EXTERNAL : form().partyPersonId}
            onChange={chooseParty}
            placeholder="Choose a person or an external party"
            options={[...people(), { value: EXTERNAL, label: 'An external party (supplier, third party)…' }]}
            error={external() ? undefined : errors()['partyName']}
          />
          <Show when={external()}>
            <Field label="External party’s name" value={form().partyName} onChange={set('partyName')} error={errors()['partyName']} required placeholder="e.g. Acme Hosting Ltd" />
          </Show>
          <SelectField label="Type" value={form().type} onChange={(v) => set('type')(v as AgreementType)} options={AGREEMENT_TYPES.map((t) => ({ value: t, label: TYPE_LABELS[t] }))} error={errors()['type']} />
          <div class="row compact">
            <Field label="Signed on" type="date" value={form().signedOn} onChange={set('signedOn')} error={errors()['signedOn']} description="Empty if not signed yet." ref={(el) => (signedInput = el)} />
            <Field label="Expires on" type="date" value={form().expiresOn} onChange={set('expiresOn')} error={errors()['expiresOn']} description="Empty if it does not expire." ref={(el) => (expiresInput = el)} />
          </div>
          <label class="check">
            <input type="checkbox" checked={form().securityClauses} onChange={(e) => set('securityClauses')(e.currentTarget.checked)} /> Includes information security clauses
          </label>
          <Show when={form().securityClauses}>
            <Show when={policies.options().length > 0}>
              <div class="field">
                <span class="field-label" id="pol-label">Policies the clauses reference</span>
                <div class="chips" role="group" aria-labelledby="pol-label">
                  <For each={policies.options()}>
                    {(p) => (
                      <ToggleButton class="chip" pressed={form().policyIds.includes(p.id)} onChange={(on) => togglePolicy(p.id, on)} data-testid="policy-chip">
                        {p.title}
                      </ToggleButton>
                    )}
                  </For>
                </div>
              </div>
            </Show>
            <Field
              label={policies.options().length > 0 ? 'Other policy references' : 'Policy references'}
              value={form().policyRefs}
              onChange={set('policyRefs')}
              error={errors()['policyRefs']}
              placeholder="e.g. Acceptable use policy, clause 7"
            />
          </Show>
          <Field label="Document reference" value={form().documentRef} onChange={set('documentRef')} error={errors()['documentRef']} description="Where the signed copy lives: file name, document system id or link." />
          <Field label="Notes" value={form().notes} onChange={set('notes')} error={errors()['notes']} multiline />
          <Show when={saved()}><p class="ok" role="status">Saved.</p></Show>
          <button class="btn primary block" type="submit">{props.id ? 'Save changes' : 'Add agreement'}</button>
        </form>
        <Show when={existing()}>
          {(a) => <Attachments doc={s.docs.agreements} recordId={a().id} title="Signed agreement (PDF)" accept="both" empty="Attach the signed copy as a PDF, or a photo of the signature page." />}
        </Show>
        <Show when={existing()}>
          {(a) => (
            <div class="card">
              <p class="muted">Added {a().createdBy ? `by ${a().createdBy} ` : ''}{a().createdAt ? `on ${formatDate(a().createdAt.slice(0, 10))}` : ''}.</p>
              <button class="btn block" onClick={() => s.agreements.setArchived(a().id, !a().archived)}>{a().archived ? 'Bring it back' : 'Archive this agreement'}</button>
              <p class="muted">Agreements are never deleted. Archive one that has been replaced or ended: it no longer counts for the person.</p>
            </div>
          )}
        </Show>
      </Show>
    </>
  );
}
