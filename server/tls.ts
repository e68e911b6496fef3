import { X509Certificate } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import tls from 'node:tls';

/**
 * TLS_CERT / TLS_KEY: PEM files read at start and again on SIGHUP. A file that
 * is missing, unreadable, not PEM, or a key that does not match the
 * certificate is a TlsError naming the file: at start the relay refuses to
 * start (exit code 1); on SIGHUP it keeps serving the certificate it has.
 */

export class TlsError extends Error {
  override name = 'TlsError';
}

export interface TlsMaterial {
  cert: Buffer;
  key: Buffer;
  /** Where the certificate is valid, when it expires: for the log line. */
  subject: string;
  validTo: string;
}

function read(file: string, what: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EACCES' ? 'permission denied' : code === 'EISDIR' ? 'is a directory' : String(err);
    throw new TlsError(`TLS ${what} ${file}: ${why}`);
  }
}

export function loadTls(certFile: string, keyFile: string): TlsMaterial {
  const cert = read(certFile, 'certificate');
  const key = read(keyFile, 'key');
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsError(`TLS certificate ${certFile}: not a PEM certificate`);
  }
  try {
    // Throws on a key that is not PEM or does not belong to the certificate.
    tls.createSecureContext({ cert, key });
  } catch (err) {
    const msg = String((err as Error).message ?? err);
    throw new TlsError(/mismatch/i.test(msg) ? `TLS key ${keyFile} does not match the certificate ${certFile}` : `TLS key ${keyFile}: not a usable PEM private key (${msg})`);
  }
  return { cert, key, subject: x509.subjectAltName ?? x509.subject, validTo: new Date(x509.validTo).toISOString() };
}

/** A connection that sends nothing (no first byte, no request, no websocket frame) for this long is closed. */
export const SILENT_CONNECTION_MS = 10_000;

/**
 * One port for both: a connection that starts with a TLS handshake goes to
 * the HTTPS server; one that starts with plain HTTP (someone typed the
 * address without https://) gets a redirect to the same address over HTTPS.
 */
export function tlsFront(tlsServer: net.Server, redirect: http.RequestListener): net.Server & { destroyAll(): void } {
  const plain = http.createServer(redirect);
  // The TCP sockets under the TLS ones: closing a TLS socket does not always end its TCP socket at once.
  const sockets = new Set<net.Socket>();
  const front = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    socket.on('error', () => socket.destroy());
    // Until its first byte a connection belongs to neither server, so neither's timeouts apply yet.
    socket.setTimeout(SILENT_CONNECTION_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      socket.unshift(first);
      // 0x16: a TLS handshake record.
      (first[0] === 0x16 ? tlsServer : plain).emit('connection', socket);
      process.nextTick(() => socket.resume());
    });
  });
  return Object.assign(front, { destroyAll: () => sockets.forEach((s) => s.destroy()) });
}
