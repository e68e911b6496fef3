import { createMemo, createSignal, For, Match, Show, Switch } from 'solid-js';
import { formatDate, formatInstant } from '../../domain/dates';
import { matchesQuery } from '../../domain/text';
import { downloadCsv } from '../../evidence/download';
import { Badge, EmptyState, fileStamp, ScreenHeader } from '../../ui/common';
import { Field, SelectField } from '../../ui/Field';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import type { Person } from '../people/model';
import { type MyPolicyItem, myPoliciesCsv } from './export';
import { ackStatus, covers } from './model';
import { SignaturePad } from './SignaturePad';
import '../policies/policies.css';
import { PolicyText, shownSource } from '../policies/PolicyText';
import './acknowledgements.css';
import { NotFound } from '../../ui/NotFound';

/**
 * My policies (staff-facing, phone first):
 *   #/my-policies                          the policies of the person using this device
 *   #/my-policies/<personId>, ?person=<id> someone's personal link (a manager sends it)
 *   …?policy=<policyId>                    read the current version and acknowledge it
 *
 * The device's person is the one whose name is the name this device signs
 * with; when nobody matches, the user picks who they are and the device
 * remembers it (localStorage `muster.me.<workspaceId>`).
 */
export default function MyPoliciesScreen() {
  const s = useSession();
  const storageKey = () => `muster.me.${s.workspace().id}`;
  const [chosen, setChosen] = createSignal(readChoice(storageKey()));
  const linkId = () => route().id ?? route().params.get('person') ?? '';
  const who = createMemo((): { id: string; how: 'link' | 'name' | 'chosen' } | undefined => {
    if (linkId()) return { id: linkId(), how: 'link' };
    const own = s.signer().personId;
    if (own) return { id: own, how: 'name' };
    const c = chosen();
    if (c && s.people.byId().get(c) && !s.people.byId().get(c)!.archived) return { id: c, how: 'chosen' };
    return undefined;
  });
  const person = () => (who() ? s.people.byId().get(who()!.id) : undefined);
  const policyId = () => route().params.get('policy') ?? '';
  const nav = {
    list: () => href('my-policies', linkId() || undefined),
    policy: (id: string) => href('my-policies', linkId() || undefined, { policy: id }),
  };
  const choose = (id: string) => {
    try {
      if (id) localStorage.setItem(storageKey(), id);
      else localStorage.removeItem(storageKey());
    } catch {
      // Private mode: the choice lasts until the page closes.
    }
    setChosen(id);
  };

  return (
    <Switch>
      <Match when={who() && !person()}>
        <ScreenHeader title="My policies" />
        <NotFound title="Person not found" why="This link is for someone who is not on this device yet. Connect to the network so People can sync, then open the link again." />
      </Match>
      <Match when={!who()}>
        <WhoAreYou onChoose={choose} />
      </Match>
      <Match when={person() && policyId()}>
        <ReadAndAcknowledge person={person()!} policyId={policyId()} back={nav.list()} backLabel={who()!.how === 'link' ? `Back to ${person()!.name}’s policies` : 'Back to my policies'} />
      </Match>
      <Match when={person()}>
        {(p) => <MyList person={p()} how={who()!.how} onChange={() => choose('')} policyHref={nav.policy} />}
      </Match>
    </Switch>
  );
}

function readChoice(key: string): string {
  try {
    return localStorage.getItem(key) ?? '';
  } catch {
    return '';
  }
}

function WhoAreYou(props: { onChoose: (id: string) => void }) {
  const s = useSession();
  const [pick, setPick] = createSignal('');
  const [error, setError] = createSignal<string>();
  const submit = (e: Event) => {
    e.preventDefault();
    if (!pick()) return setError('Choose your name from the list.');
    props.onChoose(pick());
  };
  return (
    <>
      <ScreenHeader title="My policies" />
      <Show
        when={s.people.active().length > 0}
        fallback={
          <EmptyState title="Nobody is in People yet">
            <p>
              Policies are acknowledged by the people in People. Ask your manager to add you
              <Show when={s.access.can('open:people')} fallback=".">, or <a href={href('people', 'new')}>add yourself</a>.</Show>
            </p>
          </EmptyState>
        }
      >
        <form class="card" onSubmit={submit} novalidate>
          <h2>Who are you?</h2>
          <p class="muted" data-testid="who-why">
            This device signs as “{s.signer().name}”, which is not the name of anyone in People, so Muster cannot tell which policies are yours. Choose your name: this device will remember it.
          </p>
          <SelectField
            label="Your name"
            value={pick()}
            onChange={(v) => {
              setPick(v);
              setError(undefined);
            }}
            placeholder="Choose your name"
            options={s.people.active().map((p) => ({ value: p.id, label: `${p.name}${p.team ? ` (${p.team})` : ''}` }))}
            error={error()}
          />
          <button class="btn primary block" type="submit">This is me</button>
        </form>
      </Show>
    </>
  );
}

/** The person's applicable, published policies and where they stand with each. */
function useMyItems(person: () => Person) {
  const s = useSession();
  return createMemo((): MyPolicyItem[] => {
    const p = person();
    const own = s.acknowledgements.byPerson(p.id);
    const roleIds = s.roles.rolesOf(p.id);
    const items: MyPolicyItem[] = [];
    for (const policy of s.policies.active()) {
      const current = s.policies.current(policy.id);
      const status = ackStatus(p, policy, current, own, roleIds);
      if (status === 'not-applicable' || !current) continue;
      const mine = own.filter((a) => a.policyId === policy.id);
      const ack = status === 'current' ? mine.find((a) => covers(a, current)) : mine.at(-1);
      items.push({ policy, current, status, ack });
    }
    return items;
  });
}

function MyList(props: { person: Person; how: 'link' | 'name' | 'chosen'; onChange: () => void; policyHref: (id: string) => string }) {
  const s = useSession();
  const items = useMyItems(() => props.person);
  const [query, setQuery] = createSignal('');
  const match = (i: MyPolicyItem) => matchesQuery(query(), i.policy.title, i.current.version);
  const due = createMemo(() => items().filter((i) => i.status !== 'current' && match(i)).sort((a, b) => a.policy.title.localeCompare(b.policy.title)));
  const done = createMemo(() => items().filter((i) => i.status === 'current' && match(i)).sort((a, b) => a.policy.title.localeCompare(b.policy.title)));

  return (
    <>
      <ScreenHeader title={props.how === 'link' ? `Policies for ${props.person.name}` : 'My policies'} />
      <div class="card who" data-testid="who-am-i">
        <Switch>
          <Match when={props.how === 'link'}>
            <span>For <strong>{props.person.name}</strong>, from a personal link. Acknowledgements made here are recorded as made on this device.</span>
          </Match>
          <Match when={props.how === 'name'}>
            <span>You are <strong>{props.person.name}</strong> (the name this device signs with).</span>
          </Match>
          <Match when={props.how === 'chosen'}>
            <span class="grow">You are <strong>{props.person.name}</strong> on this device.</span>
            <button class="link" onClick={() => props.onChange()}>Not you?</button>
          </Match>
        </Switch>
      </div>

      <Show
        when={items().length > 0}
        fallback={
          <EmptyState title="Nothing to acknowledge">
            <p>When a policy that applies to {props.how === 'link' ? props.person.name : 'you'} is published, it appears here to read and acknowledge.</p>
          </EmptyState>
        }
      >
        <Show when={items().length > 6}>
          <Field label="Search" type="search" value={query()} onChange={setQuery} placeholder="Policy title" />
        </Show>
        <Show when={due().length === 0 && done().length > 0 && !query()}>
          <p class="banner ok" role="status">Up to date: every policy that applies {props.how === 'link' ? `to ${props.person.name}` : 'to you'} is acknowledged.</p>
        </Show>
        <Show when={due().length > 0}>
          <h2 class="section-title">To read and acknowledge ({due().length})</h2>
          <ul class="list">
            <For each={due()}>
              {(i) => (
                <li>
                  <a class="list-item" href={props.policyHref(i.policy.id)} data-testid="my-policy-due">
                    <div class="grow">
                      <div class="title">{i.policy.title}</div>
                      <div class="muted">
                        Version {i.current.version} · approved {formatDate(i.current.approvedOn)}
                      </div>
                    </div>
                    <Show when={i.status === 'stale' && i.ack} fallback={<Badge tone="warn">To read</Badge>}>
                      <Badge tone="warn">Stale (version {i.ack!.version})</Badge>
                    </Show>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <Show when={done().length > 0}>
          <h2 class="section-title">Done ({done().length})</h2>
          <ul class="list">
            <For each={done()}>
              {(i) => (
                <li>
                  <a class="list-item" href={props.policyHref(i.policy.id)} data-testid="my-policy-done">
                    <div class="grow">
                      <div class="title">{i.policy.title}</div>
                      <div class="muted">Version {i.current.version}{i.ack ? ` · acknowledged ${formatInstant(i.ack.at)}` : ''}</div>
                    </div>
                    <Badge tone="ok">Done</Badge>
                  </a>
                </li>
              )}
            </For>
          </ul>
        </Show>
        <button class="btn block" onClick={() => downloadCsv(myPoliciesCsv(props.person, [...due(), ...done()], fileStamp()))}>Export these as CSV</button>
      </Show>
      <Show when={props.how !== 'link' && s.signer().personId === undefined && s.people.active().length > 0}>
        <p class="muted small">Tip: set this device’s name in Settings to your name in People and Muster will know it is you.</p>
      </Show>
    </>
  );
}

const URL_ONLY = /^https?:\/\/\S+$/i;
const FILE_REF = /^[^\n]{1,300}\.(pdf|docx?|odt|rtf|pages|html?|md|txt)$/i;

function ReadAndAcknowledge(props: { person: Person; policyId: string; back: string; backLabel: string }) {
  const s = useSession();
  const policy = () => s.policies.byId().get(props.policyId);
  const current = () => s.policies.current(props.policyId);
  const own = () => s.acknowledgements.byPerson(props.person.id).filter((a) => a.policyId === props.policyId);
  const status = () => {
    const p = policy();
    return p ? ackStatus(props.person, p, current(), own(), s.roles.rolesOf(props.person.id)) : 'not-applicable';
  };
  const currentAck = () => {
    const c = current();
    return c ? own().find((a) => covers(a, c)) : undefined;
  };
  const older = () => own().at(-1);

  const [typedName, setTypedName] = createSignal('');
  const [signature, setSignature] = createSignal<string>();
  const [errors, setErrors] = createSignal<Partial<Record<string, string>>>({});
  const [busy, setBusy] = createSignal(false);
  let textEl: HTMLDivElement | undefined;

  const submit = async (e: Event) => {
    e.preventDefault();
    const p = policy();
    const c = current();
    if (!p || !c || busy()) return;
    setBusy(true);
    try {
      const r = await s.acknowledgements.acknowledge(
        { person: props.person, policy: p, publication: c, shownText: shownSource(textEl) ?? '', typedName: typedName(), signature: signature() },
        s.signer(),
      );
      if (!r.ok) return setErrors(r.errors);
      setErrors({});
      setTypedName('');
      setSignature(undefined);
      window.scrollTo(0, 0);
    } finally {
      setBusy(false);
    }
  };

  return (
    <Show
      when={policy()}
      fallback={<NotFound header="Policy" back={props.back} title="Policy not found" />}
    >
      {(p) => (
        <>
          <ScreenHeader title={p().title} back={props.back} />
          <Show
            when={current()}
            fallback={<EmptyState title="Not published yet"><p>There is no approved version of this policy to read yet.</p></EmptyState>}
          >
            {(c) => (
              <>
                <p class="muted" data-testid="reading-version">
                  Version {c().version} · approved by {c().approvedBy} on {formatDate(c().approvedOn)}
                </p>
                <Switch>
                  <Match when={status() === 'current' && currentAck()}>
                    {(a) => (
                      <div class="banner ok" role="status" data-testid="ack-done">
                        {props.person.name} acknowledged version {a().version} on {formatInstant(a().at)}, typing “{a().typedName}”.
                        <Show when={a().signature}>{(sig) => <img class="signature-img" src={sig()} alt={`Signature of ${props.person.name}`} />}</Show>
                      </div>
                    )}
                  </Match>
                  <Match when={status() === 'stale' && older()}>
                    {(a) => (
                      <p class="banner warn" role="note" data-testid="ack-stale">
                        Stale (version {a().version}): acknowledged on {formatInstant(a().at)}. Version {c().version} replaces it — read it and acknowledge again.
                      </p>
                    )}
                  </Match>
                  <Match when={status() === 'not-applicable'}>
                    <p class="banner warn" role="note">This policy does not apply to {props.person.name}, so there is nothing to acknowledge.</p>
                  </Match>
                </Switch>
                <article class="card" aria-label={`${p().title}, version ${c().version}`}>
                  <PolicyText text={c().text} testId="policy-text" ref={(el) => (textEl = el)} />
                  <Show when={URL_ONLY.test(c().text.trim())}>
                    <p><a class="btn block" href={c().text.trim()} target="_blank" rel="noopener noreferrer">Open the document</a></p>
                  </Show>
                  <Show when={URL_ONLY.test(c().text.trim()) || FILE_REF.test(c().text.trim())}>
                    <p class="muted small">The full text of this version lives in the document above: read it before acknowledging.</p>
                  </Show>
                </article>
                <Show when={status() === 'missing' || status() === 'stale'}>
                  <form class="card" onSubmit={(e) => void submit(e)} novalidate aria-labelledby="ack-statement" data-testid="ack-form">
                    <p class="statement" id="ack-statement">I have read and will follow {p().title} version {c().version}</p>
                    <Field
                      label="Type your full name"
                      value={typedName()}
                      onChange={(v) => {
                        setTypedName(v);
                        if (errors()['typedName']) setErrors({ ...errors(), typedName: undefined });
                      }}
                      error={errors()['typedName']}
                      required
                      autocomplete="name"
                      description={`As it is in People: ${props.person.name}.`}
                    />
                    <SignaturePad label="Signature (optional)" onChange={setSignature} error={errors()['signature']} />
                    <Show when={errors()['text'] || errors()['_']}>
                      <p class="banner error" role="alert">{errors()['text'] ?? errors()['_']}</p>
                    </Show>
                    <button class="btn primary block" type="submit" disabled={busy()}>Acknowledge</button>
                    <p class="muted small">Recorded with the date, this device and a SHA-256 fingerprint of the text above. It cannot be edited afterwards.</p>
                  </form>
                </Show>
                <a class="btn block" href={props.back}>{props.backLabel}</a>
              </>
            )}
          </Show>
        </>
      )}
    </Show>
  );
}
