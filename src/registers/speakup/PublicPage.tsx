import { createSignal, Match, onCleanup, onMount, Show, Switch } from 'solid-js';
import * as Y from 'yjs';
import { localIsoDate } from '../../domain/dates';
import { deviceDb } from '../../store/device-db';
import { keysFingerprint, type RecipientKey } from './crypto';
import { type DirectoryEntry, latestDirectory } from './doc';
import { parsePublicLink, processSections, type PublicLink, validateReply } from './model';
import { enqueue, flushOutbox, onOutboxChange, pendingIn } from './outbox';
import { plural } from '../../domain/plural';
import { useOnline } from '../../ui/online';
import { downloadProcessPdf, FollowUp, ProcessView, ReportForm, type SendResult } from './parts';
import { composeMessage, composeReport, openByReceipt, reread } from './thread';
import { fetchRoom } from '../../sync/short-room';
import './speakup.css';

/*
 * The public report page, `#speakup?w=<workspace>&t=<token>&r=<fingerprint>`:
 * works on a device with no workspace. It reads the speak-up room once over
 * the link's token (read: an empty state vector; write: new reports and
 * messages only — the relay refuses anything else), checks that the published
 * recipients' keys match the fingerprint in the link, and keeps nothing but
 * what waits in the outbox while offline. No receipt, no report text, no
 * workspace is stored on this device.
 */

const relayUrl = () => `${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/sync`;

type Tab = 'report' | 'follow-up' | 'process';

export default function PublicPage() {
  const parsed = parsePublicLink(location.hash);
  return (
    <main class="su-public">
      <Show when={parsed && !('error' in parsed) && parsed} fallback={<p class="banner error" role="alert">{parsed && 'error' in parsed ? parsed.error : 'This is not a speak-up link.'}</p>}>
        {(link) => <Channel link={link()} />}
      </Show>
    </main>
  );
}

function Channel(props: { link: PublicLink }) {
  const link = props.link;
  const room = `${link.workspaceId}.speakup`;
  const online = useOnline();
  const [tab, setTab] = createSignal<Tab>('report');
  const [doc, setDoc] = createSignal<Y.Doc>();
  const [pending, setPending] = createSignal<{ doc: Y.Doc; count: number; reports: Set<string>; messages: Set<string> }>({ doc: new Y.Doc(), count: 0, reports: new Set(), messages: new Set() });
  const [directory, setDirectory] = createSignal<DirectoryEntry>();
  const [problem, setProblem] = createSignal<string>();
  const [loading, setLoading] = createSignal(true);

  const mine = (r: { workspaceId: string; via: string; token?: string }) => r.workspaceId === link.workspaceId && r.via === 'link' && r.token === link.token;
  const connection = async () => ({ serverUrl: relayUrl(), room, credential: link.token });

  const loadPending = async () => {
    const items = await pendingIn(deviceDb, mine);
    const p = new Y.Doc();
    for (const i of items) Y.applyUpdate(p, i.update);
    const held = doc();
    setPending({
      doc: p,
      count: items.length,
      reports: new Set([...p.getMap('reports').keys()].filter((k) => !held?.getMap('reports').has(k))),
      messages: new Set([...p.getMap('messages').keys()].filter((k) => !held?.getMap('messages').has(k))),
    });
  };

  const refresh = async () => {
    if (!navigator.onLine) {
      setLoading(false);
      if (!doc()) setProblem('You are offline. Connect to the internet to open the speak-up page.');
      return;
    }
    try {
      const state = await fetchRoom(await connection());
      const d = new Y.Doc();
      Y.applyUpdate(d, state);
      const dir = latestDirectory([d]);
      // Only keys whose fingerprint is the one in the link: nobody can slip their own key in.
      const keys = dir?.body.recipients.flatMap((r) => r.keys) ?? [];
      if (!dir || !keys.length) setProblem('This organisation has not published its recipients yet. Try again later.');
      else if (dir.fp !== link.fingerprint || (await keysFingerprint(keys)) !== link.fingerprint) {
        setProblem('This link does not match the recipients this organisation published: it is out of date or was altered. Do not report through it; ask the organisation for its current speak-up link.');
      } else {
        setProblem(undefined);
        setDirectory(dir);
      }
      setDoc(d);
      await loadPending();
    } catch (e) {
      setProblem(
        (e as { code?: number }).code === 4401
          ? 'This speak-up link is no longer valid. Ask the organisation for its current link.'
          : `The speak-up page could not be loaded: ${e instanceof Error ? e.message : String(e)}`,
      );
    } finally {
      setLoading(false);
    }
  };

  const flush = async () => {
    if (!navigator.onLine) return (await pendingIn(deviceDb, mine)).length;
    const r = await flushOutbox(deviceDb, mine, connection);
    if (r.sent) await refresh();
    return r.left;
  };

  onMount(() => {
    void loadPending().then(refresh).then(() => flush());
    const goOnline = () => void refresh().then(() => flush());
    addEventListener('online', goOnline);
    onCleanup(() => removeEventListener('online', goOnline));
    onCleanup(onOutboxChange(() => void loadPending()));
  });

  const docs = () => [doc() ?? new Y.Doc(), pending().doc];
  const send = async (update: Uint8Array): Promise<SendResult> => {
    await enqueue(deviceDb, { workspaceId: link.workspaceId, via: 'link', token: link.token, update });
    return (await flush().catch(() => 1)) === 0 ? 'sent' : 'queued';
  };
  const recipients = () => directory()?.body.recipients ?? [];
  const sections = () => {
    const d = directory();
    return d ? processSections({ ...d.body.process, orgName: d.body.orgName, recipients: d.body.recipients.map((r) => r.name), linkOn: true }) : [];
  };

  const nav = (key: Tab, label: string) => (
    <a href="#" role="tab" aria-selected={tab() === key} aria-current={tab() === key ? 'page' : undefined} onClick={(e) => (e.preventDefault(), setTab(key))}>
      {label}
    </a>
  );

  return (
    <>
      <header class="su-public-head">
        <img src="/icon.svg" alt="" />
        <div>
          <h1>Speak up{directory() ? ` to ${directory()!.body.orgName}` : ''}</h1>
          <p class="muted">Anonymous, end-to-end encrypted reporting</p>
        </div>
      </header>
      <Show when={!loading()} fallback={<p class="muted" aria-busy="true">Opening the speak-up page…</p>}>
        <Show when={!problem()} fallback={<><p class="banner error" role="alert" data-testid="public-problem">{problem()}</p><button class="btn block" onClick={() => (setLoading(true), void refresh())}>Try again</button></>}>
          <nav class="su-nav" aria-label="Speak-up views" role="tablist">
            {nav('report', 'Report')}
            {nav('follow-up', 'Follow up')}
            {nav('process', 'Process')}
          </nav>
          <Show when={pending().count > 0}>
            <p class="su-queued" role="status" data-testid="outbox">{plural(pending().count, 'sealed item is', 'sealed items are')} waiting to be sent{online() ? '…' : ': you are offline.'}</p>
          </Show>
          <Switch>
            <Match when={tab() === 'report'}>
              <ReportForm
                recipients={recipients().map((r) => ({ ref: r.ref, name: r.name }))}
                online={online()}
                waiting={() => pending().count}
                submit={async (content, exclude) => {
                  const keys: RecipientKey[] = recipients().flatMap((r) => r.keys.map((publicKey) => ({ ref: r.ref, publicKey })));
                  if (!keys.some((k) => !exclude.has(k.ref))) return { ok: false, error: 'Everyone who could read this report is excluded. Leave at least one recipient in.' };
                  const { receipt, update } = await composeReport({ workspaceId: link.workspaceId, content, recipients: keys, exclude, day: localIsoDate() });
                  return { ok: true, receipt, result: await send(update) };
                }}
              />
            </Match>
            <Match when={tab() === 'follow-up'}>
              <FollowUp
                open={(receipt) => openByReceipt(link.workspaceId, docs(), receipt, { queued: pending() })}
                reread={(r, cache) => reread(link.workspaceId, docs(), r, cache, pending())}
                reply={async (r, text) => {
                  const v = validateReply(text);
                  if (!v.ok) return v;
                  const { update } = await composeMessage({ workspaceId: link.workspaceId, docs: docs(), report: r, from: 'reporter', kind: 'reply', text: v.value, day: localIsoDate() });
                  return { ok: true, value: await send(update) };
                }}
                changes={docs}
                refresh={refresh}
              />
            </Match>
            <Match when={tab() === 'process'}>
              <ProcessView sections={sections()}>
                <button class="btn block" onClick={() => void downloadProcessPdf('Speak-up process', directory()?.body.orgName ?? '', sections())}>Download as PDF</button>
              </ProcessView>
            </Match>
          </Switch>
        </Show>
      </Show>
    </>
  );
}
