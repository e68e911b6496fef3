import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

/**
 * npm run make-cert -- [address or name ...] [--out DIR]
 *
 * For a trial on the office network: a small certificate authority of your
 * own (made once, kept in DIR) and a certificate signed by it for this
 * machine's addresses, so phones that trust the authority reach the relay
 * over HTTPS. Everything is done by openssl; nothing here does cryptography.
 *
 * With no addresses, the machine's LAN addresses are used. localhost and
 * 127.0.0.1 are always added. The authority is name-constrained to private
 * addresses and local names, so a phone that trusts it cannot be fooled by it
 * for any public site, even if its key leaks. Running again keeps the
 * authority (phones trust it once) and replaces the certificate; send the
 * running relay SIGHUP to pick it up.
 *
 * DIR (default ./certs) then holds:
 *   muster-ca.crt  the authority's certificate: install it on the phones
 *   muster-ca.key  the authority's key: keep it on this machine, never share it
 *   cert.pem       the relay's certificate (TLS_CERT)
 *   key.pem        the relay's key (TLS_KEY)
 */

export const CA_CERT = 'muster-ca.crt';
export const CA_KEY = 'muster-ca.key';
export const CERT = 'cert.pem';
export const KEY = 'key.pem';

/** What the authority may sign for (RFC 5280 name constraints). */
const PRIVATE_RANGES = [
  '10.0.0.0/255.0.0.0',
  '172.16.0.0/255.240.0.0',
  '192.168.0.0/255.255.0.0',
  '169.254.0.0/255.255.0.0',
  '127.0.0.0/255.0.0.0',
  '100.64.0.0/255.192.0.0',
  '0:0:0:0:0:0:0:1/FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF:FFFF',
  'FC00:0:0:0:0:0:0:0/FE00:0:0:0:0:0:0:0',
  'FE80:0:0:0:0:0:0:0/FFC0:0:0:0:0:0:0:0',
];
const LOCAL_SUFFIXES = ['localhost', 'local', 'lan', 'internal', 'home.arpa', 'test'];

export class MakeCertError extends Error {}

function openssl(args: string[]): void {
  try {
    execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (err) {
    const e = err as { code?: string; stderr?: Buffer };
    if (e.code === 'ENOENT') throw new MakeCertError('openssl is not installed (Debian/Ubuntu: sudo apt-get install openssl)');
    throw new MakeCertError(`openssl ${args[0]} failed: ${e.stderr?.toString().trim() ?? String(err)}`);
  }
}

/** The machine's own non-loopback addresses (IPv4 first): what a phone on the same network would type. */
export function lanAddresses(): string[] {
  const all = Object.values(os.networkInterfaces()).flat().filter((a): a is os.NetworkInterfaceInfo => !!a && !a.internal);
  return [...all.filter((a) => a.family === 'IPv4'), ...all.filter((a) => a.family === 'IPv6' && !a.address.startsWith('fe80'))].map((a) => a.address);
}

const isPrivateIp = (ip: string) =>
  net.isIPv4(ip)
    ? /^(10\.|127\.|192\.168\.|169\.254\.|172\.(1[6-9]|2\d|3[01])\.|100\.(6[4-9]|[7-9]\d|1[01]\d|12[0-7])\.)/.test(ip)
    : /^(::1$|f[cd]|fe[89ab])/i.test(ip);
const isLocalName = (name: string) => LOCAL_SUFFIXES.some((s) => name === s || name.endsWith(`.${s}`));
const NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$/;

export function checkNames(names: string[]): string[] {
  const out: string[] = [];
  for (const raw of names) {
    const n = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
    if (net.isIP(n)) {
      if (!isPrivateIp(n)) throw new MakeCertError(`${raw} is not a private address: this authority is only for the office network (for a public server use Caddy, see README)`);
    } else if (!NAME.test(n)) {
      throw new MakeCertError(`${JSON.stringify(raw)} is neither an IP address nor a host name`);
    } else if (!isLocalName(n)) {
      throw new MakeCertError(`${raw} is not a local name (one ending in ${LOCAL_SUFFIXES.map((s) => '.' + s).join(', ')}): for a public name use Caddy, see README`);
    }
    if (!out.includes(n)) out.push(n);
  }
  return out;
}

function writeAtomically(file: string, from: string, mode: number): void {
  fs.chmodSync(from, mode);
  fs.renameSync(from, file);
}

export interface MadeCert {
  dir: string;
  names: string[];
  newAuthority: boolean;
}

export function makeCert(names: string[], dir: string, days = 397): MadeCert {
  const wanted = checkNames(['localhost', '127.0.0.1', ...names]);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const caCert = path.join(dir, CA_CERT);
  const caKey = path.join(dir, CA_KEY);
  const work = fs.mkdtempSync(path.join(dir, '.make-cert-'));
  try {
    const newAuthority = !fs.existsSync(caCert) || !fs.existsSync(caKey);
    if (newAuthority) {
      const key = path.join(work, 'ca.key');
      const crt = path.join(work, 'ca.crt');
      openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
      const constraints = [...PRIVATE_RANGES.map((r) => `permitted;IP:${r}`), ...LOCAL_SUFFIXES.map((s) => `permitted;DNS:${s}`)].join(',');
      openssl([
        'req', '-x509', '-new', '-key', key, '-sha256', '-days', '3650', '-out', crt,
        '-subj', `/O=Muster/CN=Muster local CA (${os.hostname().slice(0, 40)} ${new Date().toISOString().slice(0, 10)})`,
        '-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
        '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
        '-addext', `nameConstraints=critical,${constraints}`,
        '-addext', 'subjectKeyIdentifier=hash',
      ]);
      writeAtomically(caKey, key, 0o600);
      writeAtomically(caCert, crt, 0o644);
    }
    const key = path.join(work, 'key.pem');
    const csr = path.join(work, 'cert.csr');
    const crt = path.join(work, 'cert.pem');
    const ext = path.join(work, 'ext.cnf');
    const san = wanted.map((n) => (net.isIP(n) ? `IP:${n}` : `DNS:${n}`)).join(',');
    fs.writeFileSync(ext, [
      'basicConstraints=critical,CA:FALSE',
      'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      `subjectAltName=${san}`,
      'subjectKeyIdentifier=hash',
      'authorityKeyIdentifier=keyid',
      '',
    ].join('\n'));
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key]);
    openssl(['req', '-new', '-key', key, '-subj', `/O=Muster/CN=${wanted.find((n) => !['localhost', '127.0.0.1'].includes(n)) ?? 'localhost'}`, '-out', csr]);
    // iOS refuses server certificates valid for more than 825 days; 397 also suits public rules.
    openssl(['x509', '-req', '-in', csr, '-CA', caCert, '-CAkey', caKey, '-set_serial', `0x${randomBytes(16).toString('hex')}`, '-days', String(days), '-sha256', '-extfile', ext, '-out', crt]);
    // Key first: a relay reloading in between would see the old certificate with the new key and keep the old pair.
    writeAtomically(path.join(dir, KEY), key, 0o600);
    writeAtomically(path.join(dir, CERT), crt, 0o644);
    return { dir, names: wanted, newAuthority };
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

function main(argv: string[]): void {
  let dir = 'certs';
  const names: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--out') dir = argv[++i] ?? '';
    else if (a.startsWith('--out=')) dir = a.slice(6);
    else if (a === '--help') {
      console.log('Usage: npm run make-cert -- [address or local name ...] [--out DIR]\n  default: this machine\'s LAN addresses, into ./certs');
      return;
    } else if (a.startsWith('-')) throw new MakeCertError(`unknown option ${a}`);
    else names.push(a);
  }
  if (!dir) throw new MakeCertError('--out needs a directory');
  if (names.length === 0) names.push(...lanAddresses().filter(isPrivateIp));
  const made = makeCert(names, path.resolve(dir));
  const rel = path.relative(process.cwd(), made.dir) || '.';
  const lan = made.names.filter((n) => n !== 'localhost' && n !== '127.0.0.1');
  console.log(`${made.newAuthority ? 'Made a new certificate authority' : 'Kept the certificate authority'} ${path.join(rel, CA_CERT)} (install it on each phone).`);
  console.log(`Certificate ${path.join(rel, CERT)} and key ${path.join(rel, KEY)} for: ${made.names.join(', ')}`);
  // 0.0.0.0 listens on IPv4 only; '::' takes IPv6 and IPv4 both.
  const host = lan.some((n) => net.isIPv6(n)) ? '::' : '0.0.0.0';
  console.log(`Start the relay with:\n  HOST=${host} TLS_CERT=${path.join(rel, CERT)} TLS_KEY=${path.join(rel, KEY)} npm start`);
  if (lan.length) console.log(`Phones then open: ${lan.map((n) => `https://${net.isIPv6(n) ? `[${n}]` : n}:8787`).join('  ')}`);
}

if (import.meta.url === `file://${process.argv[1]}`) {
  try {
    main(process.argv.slice(2));
  } catch (err) {
    if (!(err instanceof MakeCertError)) throw err;
    console.error(`make-cert: ${err.message}`);
    process.exit(1);
  }
}
