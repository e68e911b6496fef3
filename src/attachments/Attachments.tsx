import { Dialog } from '@kobalte/core/dialog';
import { liveQuery } from 'dexie';
import { type Accessor, createEffect, createMemo, createSignal, For, onCleanup, Show } from 'solid-js';
import type * as Y from 'yjs';
import { formatBytes } from '../domain/bytes';
import { formatInstant } from '../domain/dates';
import { type BlobRecord, deviceDb } from '../store/device-db';
import { keepUnchanged } from '../store/reactive';
import { type Fields, readFields, recordsOf } from '../store/records';
import { useOnline } from '../ui/online';
import { useSession } from '../ui/session';
import './attachments.css';
import { MAX_ATTACHMENT_BYTES, MAX_PHOTO_SIDE, prepareAttachment } from './prepare';
import { type Attachment, attach, attachmentsOf, detach, isImage, validateAttachment } from './record';
import { saveLocalBlob } from './store';
import { onTransferChange, transferState, uploadSoon, wantBlob } from './sync';

export interface AttachmentsProps {
  /** The register document that holds the record. */
  doc: Y.Doc;
  recordId: string;
  /** Heading of the card, e.g. "Photo of the whiteboard". */
  title: string;
  /** Which buttons to offer. */
  accept: 'photo' | 'pdf' | 'both';
  /** Shown when nothing is attached yet. */
  empty?: string;
  /** Attachments of a part of the record (a field prefix, e.g. "item.brief."); the record's own when absent. */
  scope?: string;
  /** Inside another card (a checklist item): no card, heading or empty text, just the files and the buttons. */
  inline?: boolean;
}

/** Raw fields of one record, updated when (only) that record changes. */
function recordFields(doc: Y.Doc, recordId: string): Accessor<Fields | undefined> {
  const [fields, setFields] = createSignal<Fields | undefined>(readFields(doc, recordId), { equals: false });
  const records = recordsOf(doc);
  const onChange = (events: Array<Y.YEvent<Y.AbstractType<unknown>>>) => {
    const touched = events.some((e) => (e.target === records ? (e as Y.YMapEvent<unknown>).keysChanged.has(recordId) : e.path[0] === recordId));
    if (touched) setFields(readFields(doc, recordId));
  };
  records.observeDeep(onChange);
  onCleanup(() => records.unobserveDeep(onChange));
  return fields;
}

type View = { state: 'uploaded' | 'pending' | 'uploading' | 'missing' | 'downloading' | 'error'; label: string; tone: 'ok' | 'warn' | 'bad' | 'muted' | 'info' };

/**
 * The attachments of one record: thumbnails (photos) or icons (PDFs), where
 * each one is (on this device and the relay, waiting to upload, or not
 * downloaded yet), and buttons to add a photo or a PDF. Works offline: a new
 * file is stored on the device and uploads when the network is back.
 */
export function Attachments(props: AttachmentsProps) {
  // Keyed: a screen that moves to another record gets a fresh card for it.
  return (
    <Show when={props.recordId} keyed>
      {(recordId) => <AttachmentsCard {...props} recordId={recordId} />}
    </Show>
  );
}

function AttachmentsCard(props: AttachmentsProps) {
  const s = useSession();
  const fields = recordFields(props.doc, props.recordId);
  const scope = () => props.scope ?? '';
  // Unchanged attachments keep their identity, so a save elsewhere in the record does not recreate their rows.
  const list = createMemo<Attachment[]>((prev) => keepUnchanged(prev, attachmentsOf(fields(), { scope: scope() })), []);
  const hashes = createMemo(() => list().map((a) => a.hash), undefined, { equals: (a, b) => a.join() === b.join() });
  const online = useOnline();
  const [error, setError] = createSignal<string>();
  const [busy, setBusy] = createSignal<string>();
  const [viewing, setViewing] = createSignal<Attachment>();
  const [confirmRemove, setConfirmRemove] = createSignal<string>();

  // What this device holds, live from Dexie.
  const [local, setLocal] = createSignal<ReadonlyMap<string, BlobRecord>>(new Map());
  createEffect(() => {
    const wanted = hashes();
    const sub = liveQuery(() => deviceDb.blobs.bulkGet(wanted)).subscribe({
      next: (rows) => setLocal(new Map(rows.filter((r): r is BlobRecord => !!r).map((r) => [r.hash, r]))),
      error: (err: unknown) => setError(`Could not read attachments on this device: ${String(err)}`),
    });
    onCleanup(() => sub.unsubscribe());
  });
  // Ask for the ones this device does not have yet.
  createEffect(() => {
    const here = local();
    for (const a of list()) if (!here.has(a.hash)) wantBlob(a.hash, a.sealed);
  });

  // Transfers in progress and their errors.
  const [tick, setTick] = createSignal(0);
  onCleanup(onTransferChange(() => setTick((n) => n + 1)));

  // One object URL per blob, made once and revoked when the card goes.
  const urls = new Map<string, string>();
  const urlOf = (blob: BlobRecord) => {
    let url = urls.get(blob.hash);
    if (!url) {
      url = URL.createObjectURL(new Blob([blob.bytes as Uint8Array<ArrayBuffer>], { type: blob.type }));
      urls.set(blob.hash, url);
    }
    return url;
  };
  onCleanup(() => urls.forEach((u) => URL.revokeObjectURL(u)));

  const view = (a: Attachment): View => {
    tick();
    const blob = local().get(a.hash);
    const t = transferState(a.hash);
    if (blob) {
      if (blob.uploaded) return { state: 'uploaded', label: 'On the relay', tone: 'ok' };
      if (t?.kind === 'uploading') return { state: 'uploading', label: 'Uploading…', tone: 'info' };
      if (t?.kind === 'error' && online()) return { state: 'error', label: t.message, tone: 'bad' };
      return { state: 'pending', label: online() ? 'Waiting to upload' : 'Waiting to upload — uploads when online', tone: 'warn' };
    }
    if (!online()) return { state: 'missing', label: 'Not on this device yet — downloads when online', tone: 'muted' };
    if (t?.kind === 'downloading') return { state: 'downloading', label: 'Downloading…', tone: 'info' };
    if (t?.kind === 'error') return { state: 'error', label: t.message, tone: 'bad' };
    return { state: 'missing', label: 'Not on this device yet — downloads when online', tone: 'muted' };
  };

  const add = async (input: HTMLInputElement) => {
    const files = [...(input.files ?? [])];
    input.value = '';
    setError(undefined);
    for (const file of files) {
      setBusy(`Preparing “${file.name}”…`);
      try {
        const prepared = await prepareAttachment(file);
        if (!prepared.ok) {
          setError(prepared.error);
          continue;
        }
        const p = prepared.value;
        const signer = s.signer();
        // A sealed workspace: the relay will hold the bytes sealed, under the name the record keeps (src/sync/seal-blob.ts).
        const seal = await import('../sync/seal-blob');
        const key = await seal.attachmentKeyOf(s.workspace());
        const sealed = key ? (await seal.sealBlob(key, p.hash, p.bytes)).name : undefined;
        const meta: Attachment = {
          hash: p.hash,
          name: p.name,
          type: p.type,
          size: p.size,
          addedBy: signer.name,
          addedAt: new Date().toISOString(),
          deviceId: signer.deviceId,
          ...(signer.personId ? { addedByPersonId: signer.personId } : {}),
          ...(sealed ? { sealed } : {}),
        };
        // Everything is checked before a byte is stored.
        const invalid = validateAttachment(meta);
        if (invalid) {
          setError(invalid);
          continue;
        }
        await saveLocalBlob({ workspaceId: s.workspace().id, hash: p.hash, type: p.type, bytes: p.bytes });
        const refused = attach(props.doc, props.recordId, meta, scope());
        if (refused) setError(refused);
        else uploadSoon();
      } catch (err) {
        setError(`Could not add “${file.name}”: ${err instanceof Error ? err.message : String(err)}`);
      } finally {
        setBusy(undefined);
      }
    }
  };

  const remove = (a: Attachment) => {
    setConfirmRemove(undefined);
    setError(detach(props.doc, props.recordId, a.hash, s.signer().name, undefined, scope()));
  };

  const idOf = (what: string) => `att-${what}-${props.recordId}${scope() ? `-${scope().replace(/[^\w-]/g, '-')}` : ''}`;
  const photoId = idOf('photo');
  const pdfId = idOf('pdf');
  const titleId = idOf('title');

  return (
    <section class={props.inline ? 'attachments inline' : 'card attachments'} aria-labelledby={titleId} data-testid="attachments">
      <h2 id={titleId} classList={{ 'visually-hidden': !!props.inline }}>
        {props.title} <Show when={list().length > 0}><span class="muted">({list().length})</span></Show>
      </h2>
      <ul class="att-list">
        <For each={list()} fallback={props.inline ? undefined : <li class="muted att-empty">{props.empty ?? 'Nothing attached yet.'}</li>}>
          {(a) => {
            const blob = () => local().get(a.hash);
            const v = () => view(a);
            return (
              <li class="att-item" data-testid="attachment" data-state={v().state} data-hash={a.hash}>
                <Show
                  when={blob()}
                  fallback={
                    <span class="att-thumb att-placeholder" aria-hidden="true">
                      {isImage(a.type) ? <PictureIcon /> : 'PDF'}
                    </span>
                  }
                >
                  {(b) => (
                    <Show
                      when={isImage(a.type)}
                      fallback={
                        <a class="att-thumb att-pdf" href={urlOf(b())} target="_blank" rel="noopener" aria-label={`Open ${a.name}`} data-testid="attachment-open">
                          PDF
                        </a>
                      }
                    >
                      <button class="att-thumb" type="button" onClick={() => setViewing(a)} aria-label={`Show ${a.name}`} data-testid="attachment-open">
                        <img src={urlOf(b())} alt="" loading="lazy" />
                      </button>
                    </Show>
                  )}
                </Show>
                <div class="grow att-text">
                  <div class="att-name">{a.name}</div>
                  <div class="muted small">
                    {formatBytes(a.size)} · {a.addedBy || 'someone'}, {formatInstant(a.addedAt)}
                  </div>
                  <div class={`att-state ${v().tone}`} data-testid="attachment-state">{v().label}</div>
                  <Show
                    when={confirmRemove() === a.hash}
                    fallback={
                      <button class="link" type="button" onClick={() => setConfirmRemove(a.hash)} aria-label={`Remove ${a.name}`}>
                        Remove
                      </button>
                    }
                  >
                    <div class="row att-confirm">
                      <span class="small">Remove it from this record?</span>
                      <button class="btn small" type="button" onClick={() => remove(a)}>Remove</button>
                      <button class="btn small" type="button" onClick={() => setConfirmRemove(undefined)}>Keep</button>
                    </div>
                  </Show>
                </div>
              </li>
            );
          }}
        </For>
      </ul>
      <Show when={busy()}>
        <p class="muted" role="status">{busy()}</p>
      </Show>
      <Show when={error()}>
        <p class="field-error" role="alert" data-testid="attachment-error">{error()}</p>
      </Show>
      <div class="row att-buttons">
        <Show when={props.accept !== 'pdf'}>
          <FilePicker id={photoId} accept="image/*" capture="environment" label="Add photo" testId="add-photo" disabled={!!busy()} onPick={(input) => void add(input)} />
        </Show>
        <Show when={props.accept !== 'photo'}>
          <FilePicker id={pdfId} accept="application/pdf" label="Add PDF" testId="add-pdf" disabled={!!busy()} onPick={(input) => void add(input)} />
        </Show>
      </div>
      <p class="muted small" classList={{ 'visually-hidden': !!props.inline }}>
        Photos are shrunk to {MAX_PHOTO_SIDE} px before they are stored; files can be up to {formatBytes(MAX_ATTACHMENT_BYTES)}. They stay on this
        device and upload to the relay when online.
      </p>

      <Dialog open={!!viewing()} onOpenChange={(o) => !o && setViewing(undefined)}>
        <Dialog.Portal>
          <Dialog.Overlay class="overlay" />
          <Dialog.Content class="dialog att-viewer">
            <Show when={viewing()}>
              {(a) => (
                <>
                  <Dialog.Title class="dialog-title">{a().name}</Dialog.Title>
                  <Show when={local().get(a().hash)}>{(b) => <img class="att-full" src={urlOf(b())} alt={a().name} data-testid="attachment-full" />}</Show>
                  <p class="muted small">
                    {formatBytes(a().size)} · added by {a().addedBy || 'someone'} on {formatInstant(a().addedAt)}
                  </p>
                  <div class="row end">
                    <Dialog.CloseButton class="btn" aria-label="Close">Close</Dialog.CloseButton>
                  </div>
                </>
              )}
            </Show>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog>
    </section>
  );
}

/** A visually hidden file input and the button-like label that opens it. */
function FilePicker(props: { id: string; accept: string; capture?: 'environment'; label: string; testId: string; disabled: boolean; onPick: (input: HTMLInputElement) => void }) {
  return (
    <>
      <input id={props.id} class="visually-hidden" type="file" accept={props.accept} capture={props.capture} onChange={(e) => props.onPick(e.currentTarget)} data-testid={props.testId} disabled={props.disabled} />
      <label class="btn att-add" for={props.id}>{props.label}</label>
    </>
  );
}

function PictureIcon() {
  return (
    <svg viewBox="0 0 24 24" width="28" height="28" fill="none" stroke="currentColor" stroke-width="1.8" stroke-linecap="round" stroke-linejoin="round">
      <rect x="3" y="4" width="18" height="16" rx="2" />
      <circle cx="9" cy="10" r="2" />
      <path d="m21 17-5-5-9 8" />
    </svg>
  );
}
