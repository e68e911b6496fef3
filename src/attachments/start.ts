/**
 * Starts the attachment upload queue for the open workspace (called once per
 * session from src/ui/session.tsx). The network code loads after the first
 * paint, like the websocket sync. Returns the function that stops it.
 */
export function startAttachmentSync(workspace: () => { id: string; secret: string; contentKey?: string; pastContentKeys?: string[] }): () => void {
  let stopped = false;
  let stop = () => {};
  let key: Promise<import('../sync/seal').SealKey | null> | undefined;
  void Promise.all([import('./sync'), import('../sync/auth')]).then(([{ blobBaseUrl, startBlobSync }, { relayCredential }]) => {
    if (stopped) return;
    const sync = startBlobSync({
      workspaceId: workspace().id,
      baseUrl: blobBaseUrl(location),
      // Asked for on every pass, so a rotated workspace secret is picked up.
      credential: () => relayCredential(workspace().id, workspace().secret),
      // A sealed workspace's attachments travel sealed (src/sync/seal-blob.ts), with a key derived once.
      sealKey: () => (key ??= import('../sync/seal-blob').then((m) => m.attachmentKeyOf(workspace()))),
    });
    stop = sync.stop;
  });
  return () => {
    stopped = true;
    stop();
  };
}
