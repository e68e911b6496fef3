import { createHash } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { formatBytes } from '../domain/bytes';
import { type DecodedImage, fitWithin, type ImageCodec, MAX_ATTACHMENT_BYTES, type PickedFile, prepareAttachment, sniff, storedName } from './prepare';

const JPEG_HEAD = [0xff, 0xd8, 0xff, 0xe0];
const PNG_HEAD = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];
const PDF_HEAD = [...'%PDF-1.7\n'].map((c) => c.charCodeAt(0));

/** A picked file whose bytes start with `head`, padded to `size` (never allocated beyond 64 KiB unless asked). */
function file(name: string, type: string, head: number[], size = 2000, realBytes = true): PickedFile {
  const bytes = realBytes ? new Uint8Array(size) : new Uint8Array(Math.min(size, 64));
  bytes.set(head.slice(0, bytes.length));
  for (let i = head.length; i < bytes.length; i++) bytes[i] = (i * 31) & 0xff;
  return {
    name,
    type,
    size,
    arrayBuffer: async () => bytes.slice().buffer,
    slice: (start = 0, end = size) => ({ arrayBuffer: async () => bytes.slice(start, end).buffer }),
  };
}

/** A codec that "decodes" to a given size and encodes a JPEG-looking buffer of a chosen length. */
function fakeCodec(width: number, height: number, encodedBytes = (w: number, h: number) => Math.round((w * h) / 10)): ImageCodec & { calls: Array<{ width: number; height: number; quality: number }>; decoded: number } {
  const codec = {
    calls: [] as Array<{ width: number; height: number; quality: number }>,
    decoded: 0,
    async decode(): Promise<DecodedImage> {
      codec.decoded++;
      return {
        width,
        height,
        encodeJpeg: async (w: number, h: number, quality: number) => {
          codec.calls.push({ width: w, height: h, quality });
          const out = new Uint8Array(encodedBytes(w, h) * (quality < 0.7 ? 0.5 : 1));
          out.set(JPEG_HEAD);
          return out;
        },
        close: () => {},
      };
    },
  };
  return codec;
}

const failingCodec: ImageCodec = {
  decode: async () => {
    throw new Error('The source image could not be decoded.');
  },
};

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');

describe('prepareAttachment', () => {
  test('a large photo is shrunk so its longest side is 1600 px and stored as JPEG', async () => {
    const codec = fakeCodec(3000, 2000);
    const r = await prepareAttachment(file('IMG_0042.HEIC.png', 'image/png', PNG_HEAD), { codec });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(codec.calls).toEqual([{ width: 1600, height: 1067, quality: 0.82 }]);
    expect(r.value).toMatchObject({ type: 'image/jpeg', width: 1600, height: 1067, converted: true, name: 'IMG_0042.HEIC.jpg' });
    expect(r.value.size).toBe(r.value.bytes.length);
    expect(r.value.hash).toBe(sha(r.value.bytes));
  });

  test('portrait photos are fitted by their height; a JPEG is always re-encoded (drops EXIF such as GPS)', async () => {
    const tall = fakeCodec(1200, 4000);
    const r = await prepareAttachment(file('whiteboard.jpg', 'image/jpeg', JPEG_HEAD), { codec: tall });
    expect(r.ok && [r.value.width, r.value.height]).toEqual([480, 1600]);
    const small = fakeCodec(800, 600);
    const s = await prepareAttachment(file('small.jpeg', 'image/jpeg', JPEG_HEAD), { codec: small });
    expect(small.calls).toEqual([{ width: 800, height: 600, quality: 0.82 }]);
    expect(s.ok && s.value.converted).toBe(true);
  });

  test('a small PNG (a drawn signature) is kept byte for byte', async () => {
    const codec = fakeCodec(600, 200);
    const picked = file('signature.png', 'image/png', PNG_HEAD, 4000);
    const r = await prepareAttachment(picked, { codec });
    expect(codec.calls).toEqual([]);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value).toMatchObject({ type: 'image/png', size: 4000, converted: false, name: 'signature.png' });
    expect(r.value.bytes).toEqual(new Uint8Array(await picked.arrayBuffer()));
  });

  test('a PDF is kept as it is; one over the limit is refused with its size and the limit', async () => {
    const ok = await prepareAttachment(file('Contract signed.PDF', '', PDF_HEAD, 300_000));
    expect(ok.ok).toBe(true);
    if (!ok.ok) return;
    expect(ok.value).toMatchObject({ type: 'application/pdf', size: 300_000, name: 'Contract signed.pdf', converted: false });
    expect(ok.value.hash).toBe(sha(ok.value.bytes));

    const big = await prepareAttachment(file('scan.pdf', 'application/pdf', PDF_HEAD, 7_654_321, false));
    expect(big).toEqual({
      ok: false,
      error: '“scan.pdf” is 7.3 MB; a PDF can be at most 5 MB. Save a smaller copy (for example scanned at a lower resolution, or only the signed pages) and attach that.',
    });
    // Exactly at the limit is accepted.
    expect((await prepareAttachment(file('max.pdf', 'application/pdf', PDF_HEAD, MAX_ATTACHMENT_BYTES))).ok).toBe(true);
  });

  test('unsupported, empty and fake files are refused with a sentence, before anything is decoded', async () => {
    const codec = fakeCodec(100, 100);
    expect(await prepareAttachment(file('notes.docx', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', [0x50, 0x4b, 3, 4]), { codec })).toEqual({
      ok: false,
      error: 'Muster can attach photos (JPEG, PNG, WebP) and PDFs. “notes.docx” is neither: save it as a PDF first.',
    });
    expect(await prepareAttachment(file('empty.jpg', 'image/jpeg', [], 0), { codec })).toEqual({ ok: false, error: '“empty.jpg” is empty: there is nothing to attach.' });
    expect(await prepareAttachment(file('fake.pdf', 'application/pdf', [0x3c, 0x68, 0x74, 0x6d, 0x6c]), { codec })).toEqual({
      ok: false,
      error: '“fake.pdf” is not a valid PDF: it does not start like one.',
    });
    // A 60 MB picture is not decoded at all.
    const huge = await prepareAttachment(file('raw.jpg', 'image/jpeg', JPEG_HEAD, 60 * 1024 * 1024, false), { codec });
    expect(huge.ok).toBe(false);
    expect(!huge.ok && huge.error).toBe('“raw.jpg” is 60 MB, too large to process on this device (at most 40 MB). Take the photo at a lower resolution.');
    expect(codec.decoded).toBe(0);
  });

  test('a picture the browser cannot decode, or that stays too large, is refused', async () => {
    const broken = await prepareAttachment(file('photo.heic', 'image/heic', [0, 0, 0, 0x18]), { codec: failingCodec });
    expect(broken).toEqual({ ok: false, error: 'Muster could not read “photo.heic” as a picture. Attach a JPEG or PNG photo instead.' });

    // 12 MB at 0.82, still 6 MB at the lower quality.
    const noisy = fakeCodec(1600, 1200, () => 12 * 1024 * 1024);
    const r = await prepareAttachment(file('noise.jpg', 'image/jpeg', JPEG_HEAD), { codec: noisy });
    expect(noisy.calls.map((c) => c.quality)).toEqual([0.82, 0.6]);
    expect(r).toEqual({ ok: false, error: '“noise.jpg” is still 6 MB after shrinking it to 1600 × 1200; attachments can be at most 5 MB.' });

    // Retried at a lower quality when that is enough.
    const detailed = fakeCodec(1600, 1200, () => 8 * 1024 * 1024);
    const ok = await prepareAttachment(file('detail.jpg', 'image/jpeg', JPEG_HEAD), { codec: detailed });
    expect(ok.ok && ok.value.size).toBe(4 * 1024 * 1024);
  });
});

test('fitWithin never enlarges and keeps the aspect ratio', () => {
  expect(fitWithin(3000, 2000, 1600)).toEqual({ width: 1600, height: 1067 });
  expect(fitWithin(2000, 3000, 1600)).toEqual({ width: 1067, height: 1600 });
  expect(fitWithin(1600, 1600, 1600)).toEqual({ width: 1600, height: 1600 });
  expect(fitWithin(10, 5, 1600)).toEqual({ width: 10, height: 5 });
  expect(fitWithin(100_000, 10, 1600)).toEqual({ width: 1600, height: 1 });
});

test('formatBytes, sniff and storedName', () => {
  expect([formatBytes(512), formatBytes(2048), formatBytes(5 * 1024 * 1024), formatBytes(7_654_321), formatBytes(60 * 1024 * 1024)]).toEqual(['512 bytes', '2 KB', '5 MB', '7.3 MB', '60 MB']);
  expect(sniff(new Uint8Array(PDF_HEAD))).toBe('application/pdf');
  expect(sniff(new Uint8Array(PNG_HEAD))).toBe('image/png');
  expect(sniff(new Uint8Array(JPEG_HEAD))).toBe('image/jpeg');
  expect(sniff(new Uint8Array([...'RIFF\0\0\0\0WEBP'].map((c) => c.charCodeAt(0))))).toBe('image/webp');
  expect(sniff(new Uint8Array([0x3c, 0x73, 0x76, 0x67]))).toBeNull();
  expect(storedName('  Board 2026.11 ', 'image/jpeg')).toBe('Board 2026.11.jpg');
  expect(storedName('a\u0000b\u001f.png', 'image/png')).toBe('ab.png');
  expect(storedName('', 'application/pdf')).toBe('document.pdf');
  expect(storedName('x'.repeat(300) + '.jpg', 'image/jpeg')).toHaveLength(119);
});
