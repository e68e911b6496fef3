import type { IncomingMessage } from 'node:http';

/**
 * The headers every relay response carries (docs/SECURITY.md, "Headers").
 * The app has no inline script (test/integration/headers.test.ts checks the
 * build), so `script-src 'self'` needs no hashes. Styles allow 'unsafe-inline'
 * because Solid templates carry static `style` attributes; script never does.
 */

/** A Host header we are willing to echo into connect-src: a name or address and an optional port. */
export const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;

export const HSTS = 'max-age=31536000';

export function contentSecurityPolicy(host: string | undefined): string {
  // 'self' covers ws:/wss: of the same host in CSP3; the explicit wss: is for browsers that predate that.
  const connect = host !== undefined && HOST.test(host) ? `'self' wss://${host.toLowerCase()}` : "'self'";
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' blob: data:",
    `connect-src ${connect}`,
    "worker-src 'self'",
    "manifest-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

export function securityHeaders(req: Pick<IncomingMessage, 'headers'>, tls: boolean): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy(req.headers.host),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'Permissions-Policy': 'camera=(self), microphone=(), geolocation=(), payment=(), usb=()',
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
    ...(tls ? { 'Strict-Transport-Security': HSTS } : {}),
  };
}

/** The same headers as raw header lines, for answers written straight to a socket (refused upgrades). */
export const headerLines = (headers: Record<string, string>) => Object.entries(headers).map(([k, v]) => `${k}: ${v}\r\n`).join('');
