import { fromBase64Url, toBase64Url } from './base64url';

/**
 * The relay never sees the workspace secret. Each device derives from it a
 * relay credential (HKDF-SHA-256, bound to the workspace id); the relay keeps
 * only a hash of that credential. Rotation and member roles build on this seam.
 */
export async function relayCredential(workspaceId: string, secret: string): Promise<string> {
  const key = await crypto.subtle.importKey('raw', fromBase64Url(secret), 'HKDF', false, ['deriveBits']);
  const bits = await crypto.subtle.deriveBits(
    {
      name: 'HKDF',
      hash: 'SHA-256',
      salt: new TextEncoder().encode('muster/relay'),
      info: new TextEncoder().encode(`muster relay auth v1 ${workspaceId}`),
    },
    key,
    256,
  );
  return toBase64Url(new Uint8Array(bits));
}
