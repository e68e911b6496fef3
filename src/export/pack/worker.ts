/// <reference lib="webworker" />
import { buildPack, buildSectionPdf } from './build';
import { loadFont, prepareFontsFor, textOfBytes } from '../../evidence/pdf/fonts';
import { inputFromRequest, type WorkerReply, type WorkerRequest } from './request';

/*
 * Builds the evidence pack off the UI thread. The screen posts one request;
 * the worker posts progress, then the ZIP (transferred, not copied). To
 * cancel, the screen terminates the worker.
 */
declare const self: DedicatedWorkerGlobalScope;

// The screen starts this worker when it opens: fetch Noto Sans now, before the tap (a failure is retried at the export).
for (const name of ['regular', 'bold'] as const) loadFont(name).catch(() => {});

const post = (msg: WorkerReply, transfer: Transferable[] = []) => self.postMessage(msg, transfer);

self.onmessage = async (event: MessageEvent<WorkerRequest>) => {
  const msg = event.data;
  const t0 = performance.now();
  try {
    const input = inputFromRequest(msg.request);
    // The CJK font (10 MB) only when a text of the workspace needs it: Yjs updates hold their strings as UTF-8.
    await prepareFontsFor(Object.values(msg.request.updates).map(textOfBytes).join('\n') + JSON.stringify(msg.request.raw) + JSON.stringify(msg.request.meta));
    if (msg.kind === 'section') {
      const pdf = await buildSectionPdf(input, msg.register);
      post({ kind: 'section', bytes: pdf.bytes, title: pdf.title, pages: pdf.pages, ms: performance.now() - t0 }, [pdf.bytes.buffer]);
      return;
    }
    const result = await buildPack(input, { onProgress: (p) => post({ kind: 'progress', fraction: p.fraction, step: p.step }) });
    post({ kind: 'pack', zip: result.zip, files: result.files, missing: result.missing, pages: result.pages, ms: performance.now() - t0 }, [result.zip.buffer]);
  } catch (e) {
    post({ kind: 'error', message: e instanceof Error ? e.message : String(e) });
  }
};
