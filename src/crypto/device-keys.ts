import { toBase64Url } from './base64url';

/** A fresh ECDH P-256 key pair; the private key cannot be exported. This device's own is kept by src/store/device-keys.ts. */
export async function generateDeviceKeyPair(): Promise<{ privateKey: CryptoKey; publicKey: string }> {
  const pair = await crypto.subtle.generateKey({ name: 'ECDH', namedCurve: 'P-256' }, false, ['deriveBits']);
  const publicKey = toBase64Url(new Uint8Array(await crypto.subtle.exportKey('raw', pair.publicKey)));
  return { privateKey: pair.privateKey, publicKey };
}
