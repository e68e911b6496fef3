import { createSignal, For, Show } from 'solid-js';
import BackupPanel from '../export/BackupPanel';
import { downloadCsv } from '../evidence/download';
import { joinLink } from '../store/workspace';
import { fileStamp, ScreenHeader } from '../ui/common';
import { Field } from '../ui/Field';
import { href } from '../ui/router';
import { useSession } from '../ui/session';
import { SyncedField } from '../ui/SyncedField';
import { briefingsCsv } from '../registers/briefings/export';
import { checklistsCsv } from '../registers/checklists/export';
import { STANDARD_ITEMS } from '../registers/checklists/model';
import { peopleCsv } from '../registers/people/export';

export default function SettingsScreen() {
  const s = useSession();
  const link = () => joinLink(location.origin, { ...s.workspace(), orgName: s.settings.orgName() });
  const [copied, setCopied] = createSignal(false);
  const [nameError, setNameError] = createSignal<string>();
  const [memberName, setMemberName] = createSignal<string>();

  const copy = async () => {
    try {
      await navigator.clipboard.writeText(link());
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  const saveName = async () => {
    const n = memberName();
    if (n === undefined) return;
    const err = await s.setMemberName(n);
    setNameError(err);
    if (!err) setMemberName(undefined);
  };

  return (
    <>
      <ScreenHeader title="Settings" />
      <section class="card">
        <h2>Workspace</h2>
        <SyncedField label="Organisation name" stored={s.settings.orgName()} save={(v) => s.settings.rename(v)} />
        <Field
          label="Your name on this device"
          value={memberName() ?? s.workspace().memberName}
          onChange={setMemberName}
          onBlur={() => void saveName()}
          error={nameError()}
          description="Sign-offs made on this device carry this name."
        />
      </section>

      <section class="card">
        <h2>Invite a person</h2>
        <Show when={s.access.can('invite:staff')} fallback={<p class="muted" data-testid="invite-refused">{s.access.why('invite:staff')}</p>}>
          <p class="muted">Each person gets their own link and QR code, with the role you choose; their phone is linked to them in People.</p>
          <a class="btn primary block" href={href('members', 'new')}>Invite a person</a>
        </Show>
        <Show when={s.access.can('open:members')}><p><a href={href('members')}>Members: devices, roles and invites</a></p></Show>
      </section>

      <Show when={s.access.can('add-device')}>
        <section class="card">
          <h2>Add one of your own devices</h2>
          <p class="muted">
            Open this link on your other phone or computer. {s.members.signed()
              ? 'The member list is signed, so the new device waits until you confirm it on Members (under “Not vouched for”, with its key’s fingerprint): confirm it as owner. To add a colleague, invite them instead.'
              : 'A device that joins with it is an owner, like this one: to add a colleague, invite them instead.'}
            It contains the workspace key, in the part after “#”, which is never sent to the relay. It stops working when the key changes (after a device is
            removed).
          </p>
          <textarea class="input mono" readonly rows="3" aria-label="Join link" data-testid="join-link" onFocus={(e) => e.currentTarget.select()}>{link()}</textarea>
          <button class="btn block" onClick={() => void copy()}>{copied() ? 'Copied' : 'Copy join link'}</button>
        </section>
      </Show>

      <TemplateEditor />

      <section class="card">
        <h2>Export</h2>
        <p class="muted">CSV files open in any spreadsheet. Made on this device; nothing is sent anywhere.</p>
        <div class="stack">
          <button class="btn block" onClick={() => downloadCsv(checklistsCsv(s.checklists.all(), s.checklists.history, s.briefings.byId(), s.people.nameOf, fileStamp()))}>
            Checklists (CSV)
          </button>
          <button class="btn block" onClick={() => downloadCsv(briefingsCsv(s.briefings.all(), s.people.nameOf, s.briefings.signOffState, fileStamp()))}>
            Briefing minutes (CSV)
          </button>
          <button class="btn block" onClick={() => downloadCsv(peopleCsv(s.people.all(), s.people.nameOf, fileStamp()))}>People (CSV)</button>
        </div>
      </section>

      <BackupPanel />

      <section class="card">
        <h2>This device</h2>
        <p class="muted">
          Device id <code>{s.device.deviceId}</code>. Everything is stored on this device and works offline; changes sync through the relay when there is a
          connection.
        </p>
      </section>
    </>
  );
}

function TemplateEditor() {
  const s = useSession();
  const [title, setTitle] = createSignal('');
  const [hint, setHint] = createSignal('');
  const [error, setError] = createSignal<string>();
  const add = (e: Event) => {
    e.preventDefault();
    const r = s.settings.addItem(title(), hint());
    if (!r.ok) return setError(r.errors['title']);
    setError(undefined);
    setTitle('');
    setHint('');
  };
  return (
    <section class="card">
      <h2>Monthly checklist actions</h2>
      <p class="muted">The four standard actions are always there. Add your own; new checklists include them, past months keep what they had.</p>
      <ol class="template">
        <For each={STANDARD_ITEMS}>{(i) => <li><strong>{i.title}</strong> <span class="muted">— {i.evidenceHint}</span></li>}</For>
        <For each={s.settings.extraItems()}>
          {(i) => (
            <li data-testid="template-extra">
              <strong>{i.title}</strong> <span class="muted">{i.evidenceHint ? `— ${i.evidenceHint}` : ''}</span>{' '}
              <button class="link" onClick={() => s.settings.removeItem(i.key)} aria-label={`Remove ${i.title}`}>Remove</button>
            </li>
          )}
        </For>
      </ol>
      <form onSubmit={add} novalidate class="stack">
        <Field label="New action" value={title()} onChange={setTitle} error={error()} placeholder="e.g. Review access rights" />
        <Field label="Evidence" value={hint()} onChange={setHint} placeholder="e.g. Access review export" />
        <button class="btn" type="submit">Add action</button>
      </form>
    </section>
  );
}
