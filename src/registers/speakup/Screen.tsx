import { Match, Show, Switch } from 'solid-js';
import { ScreenHeader } from '../../ui/common';
import { href, route } from '../../ui/router';
import { useSession } from '../../ui/session';
import { InboxDetail, InboxList } from './Inbox';
import { processSections } from './model';
import { plural } from '../../domain/plural';
import { useOnline } from '../../ui/online';
import { downloadProcessPdf, FollowUp, ProcessView, ReportForm } from './parts';
import { SettingsPage } from './SettingsPage';
import './speakup.css';

/*
 * Routes (no report id or receipt ever goes into a reporter's URL):
 *   #/speakup                 report a concern (everyone)
 *   #/speakup/follow-up       follow up with a receipt (everyone)
 *   #/speakup/inbox           recipients: the reports this device can open
 *   #/speakup/inbox?r=<loc>   recipients: one report, its thread, status and outcome
 *   #/speakup/process         the documented process (everyone), PDF
 *   #/speakup/settings        owners: recipients, public link, process settings
 */
export default function SpeakupScreen() {
  const s = useSession();
  const sp = () => s.speakup;
  const online = useOnline();
  const tab = () => route().id ?? 'report';
  const sections = () =>
    processSections({ ...sp().config(), orgName: sp().orgName(), recipients: sp().recipients().map((r) => r.name), linkOn: sp().config().publicLink });

  const blocked = () => {
    if (!sp().config().recipients.length) return 'No one has been designated to receive reports yet. An owner of the workspace chooses the recipients under Speak up → Settings.';
    if (!sp().recipientKeys().length) return 'The recipients have no device that can receive reports yet. Each recipient opens Muster on their phone under their name in People.';
    return undefined;
  };

  return (
    <>
      <ScreenHeader title="Speak up" />
      <SpeakupNav current={tab()} />
      <Show when={sp().outboxCount() > 0 && tab() !== 'report'}>
        <p class="su-queued" role="status" data-testid="outbox">
          {plural(sp().outboxCount(), 'sealed item is', 'sealed items are')} waiting to be sent{online() ? '…' : ': you are offline.'}
        </p>
      </Show>
      <Switch>
        <Match when={tab() === 'report'}>
          <p class="su-intro">Seen a security rule bypassed, data leaking, or a weakness nobody is fixing? Tell the people who can act on it, without giving your name.</p>
          <ReportForm
            recipients={sp().recipients().map((r) => ({ ref: r.personId, name: r.name }))}
            blocked={blocked()}
            online={online()}
            submit={(content, exclude) => sp().submit(content, exclude)}
            waiting={() => sp().outboxCount()}
          />
        </Match>
        <Match when={tab() === 'follow-up'}>
          <FollowUp
            open={(receipt) => sp().openByReceipt(receipt)}
            reread={(r, cache) => sp().reread(r, cache)}
            reply={(r, text) => sp().reply(r, 'reporter', text)}
            changes={() => sp().docs()}
            notFoundHint={online() ? 'A report sent from another device appears here once this device has synced.' : 'You are offline: a report sent from another device may not be on this device yet.'}
          />
        </Match>
        <Match when={tab() === 'inbox'}>
          <Show when={route().params.get('r')} fallback={<InboxList />}>
            {(locator) => <InboxDetail locator={locator()} />}
          </Show>
        </Match>
        <Match when={tab() === 'process'}>
          <ProcessView sections={sections()}>
            <button class="btn block" onClick={() => void downloadProcessPdf('Speak-up process', sp().orgName(), sections())}>Download as PDF</button>
          </ProcessView>
        </Match>
        <Match when={tab() === 'settings'}>
          <SettingsPage />
        </Match>
      </Switch>
    </>
  );
}

function SpeakupNav(props: { current: string }) {
  const s = useSession();
  const sp = () => s.speakup;
  const link = (key: string, label: string, to: string, badge?: () => number) => (
    <a href={to} aria-current={props.current === key ? 'page' : undefined}>
      {label}
      <Show when={badge && badge() > 0}>
        <span class="su-dot" aria-label={`${badge!()} not yet acknowledged`}>{badge!()}</span>
      </Show>
    </a>
  );
  const unacknowledged = () => sp().inbox.latest?.reports.filter((r) => r.status === 'new').length ?? 0;
  return (
    <nav class="su-nav" aria-label="Speak-up views">
      {link('report', 'Report', href('speakup'))}
      {link('follow-up', 'Follow up', href('speakup', 'follow-up'))}
      <Show when={sp().isRecipient()}>{link('inbox', 'Inbox', href('speakup', 'inbox'), unacknowledged)}</Show>
      {link('process', 'Process', href('speakup', 'process'))}
      <Show when={sp().canManage()}>{link('settings', 'Settings', href('speakup', 'settings'))}</Show>
    </nav>
  );
}
