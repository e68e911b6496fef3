import { createRoot, createSignal } from 'solid-js';
import { render } from 'solid-js/web';
import { afterEach, describe, expect, it } from 'vitest';
import * as Y from 'yjs';
import { EVERYONE } from '../../domain/gaps';
import { covers } from '../acknowledgements/model';
import { createAcknowledgementStore } from '../acknowledgements/store';
import type { Person } from '../people/model';
import { sha256HexAsync as sha256Hex } from '../../domain/sha256';
import { PolicyText, shownSource } from './PolicyText';
import { createPolicyStore } from './store';

const PAYLOADS = [
  '<script>window.__xss = 1</script>',
  '<img src=x onerror="window.__xss = 1">',
  '[click me](javascript:window.__xss=1)',
  '<iframe src="javascript:window.__xss=1"></iframe>',
  '<div onmouseover="window.__xss=1">\n\n**raw HTML block**\n\n</div>',
  '[data](data:text/html;base64,PHNjcmlwdD53aW5kb3cuX194c3M9MTwvc2NyaXB0Pg==)',
  '<a href="javascript:window.__xss=1">html link</a>',
  '<svg><script>window.__xss=1</script></svg>',
];
const POLICY = `# Acceptable use

Staff **must**:
- lock their screen
- report incidents to [security](https://acme.example/report)

${PAYLOADS.join('\n\n')}`;

let cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups) c();
  cleanups = [];
  delete (window as { __xss?: number }).__xss;
});

function mount(text: string): HTMLDivElement {
  const host = document.createElement('div');
  document.body.append(host);
  let el!: HTMLDivElement;
  const dispose = render(() => <PolicyText text={text} ref={(e) => (el = e)} testId="policy-text" />, host);
  cleanups.push(() => (dispose(), host.remove()));
  return el;
}

describe('PolicyText', () => {
  it('renders Markdown as headings, lists and safe links', () => {
    const el = mount(POLICY);
    expect(el.querySelector('h2')?.textContent).toBe('Acceptable use');
    expect([...el.querySelectorAll('ul > li')].map((li) => li.textContent)).toEqual(['lock their screen', 'report incidents to security']);
    const link = el.querySelector('a')!;
    expect(link.getAttribute('href')).toBe('https://acme.example/report');
    expect(link.getAttribute('rel')).toBe('noopener noreferrer');
    expect(link.getAttribute('target')).toBe('_blank');
  });

  it('leaves HTML and script payloads inert: no script, frame, image or handler, no unsafe link, the payload shows as text', () => {
    const el = mount(POLICY);
    expect(el.querySelectorAll('script, iframe, img, svg, object, embed, style, div, form, input')).toHaveLength(0);
    for (const node of el.querySelectorAll('*')) {
      for (const attr of node.attributes) expect(attr.name, `${node.tagName} ${attr.name}`).not.toMatch(/^on/i);
    }
    const hrefs = [...el.querySelectorAll('[href], [src]')].map((n) => n.getAttribute('href') ?? n.getAttribute('src'));
    expect(hrefs).toEqual(['https://acme.example/report']);
    expect(el.textContent).toContain('<script>window.__xss = 1</script>');
    expect(el.textContent).toContain('<img src=x onerror="window.__xss = 1">');
    expect(el.textContent).toContain('[click me](javascript:window.__xss=1)');
    expect((window as { __xss?: number }).__xss).toBeUndefined();
  });

  it('remembers the source it shows, and follows a change of text', () => {
    const host = document.createElement('div');
    let el!: HTMLDivElement;
    const [text, setText] = createSignal('# One');
    const dispose = render(() => <PolicyText text={text()} ref={(e) => (el = e)} />, host);
    cleanups.push(dispose);
    expect(shownSource(el)).toBe('# One');
    expect(el.innerHTML).toBe('<h2>One</h2>\n');
    setText('- Two');
    expect(shownSource(el)).toBe('- Two');
    expect(el.innerHTML).toBe('<ul>\n<li>Two</li>\n</ul>\n');
    expect(shownSource(undefined)).toBeUndefined();
  });
});

const sam: Person = { id: 'sam', name: 'Sam Staff', email: '', team: 'Ops', jobTitle: '', startDate: '', managerId: '', archived: false };
const mia = { name: 'Mia Manager', deviceId: 'device-a' };
const samPhone = { name: 'Sam', deviceId: 'device-b' };

describe('acknowledging a Markdown policy', () => {
  it('binds the SHA-256 of the source text, not of the rendered HTML or its text; a stored acknowledgement still matches', async () => {
    const { policies, acks, dispose } = createRoot((d) => ({ policies: createPolicyStore(new Y.Doc()), acks: createAcknowledgementStore(new Y.Doc()), dispose: d }));
    cleanups.push(dispose);
    const policy = policies.create({ title: 'Acceptable use', ownerId: 'mia', audience: EVERYONE, nextReviewDate: '2027-11-01' }, mia);
    if (!policy.ok) throw new Error('policy');
    const pub = await policies.publish(policy.value.id, { version: '1.0', text: POLICY, approvedBy: 'Cleo CEO', approvedOn: '2026-11-25' }, mia, '2026-11-25');
    if (!pub.ok) throw new Error('publish');
    const sourceSha = await sha256Hex(POLICY);
    expect(pub.value.textSha256).toBe(sourceSha);

    // An acknowledgement stored before policy text was rendered (it hashed the plain text on screen, which was the source).
    const stored = { id: 'old', kind: 'acknowledgement' as const, personId: 'sam', policyId: policy.value.id, version: '1.0', textSha256: sourceSha, typedName: 'Sam Staff', at: '2026-11-26T09:00:00.000Z', deviceId: 'device-c' };
    expect(covers(stored, pub.value)).toBe(true);

    // What the screen shows now is HTML: its text is not the source, so hashing it would be refused.
    const el = mount(pub.value.text);
    expect(el.textContent).not.toBe(POLICY);
    const refused = await acks.acknowledge({ person: sam, policy: policy.value, publication: pub.value, shownText: el.textContent ?? '', typedName: 'Sam Staff' }, samPhone);
    expect(refused.ok).toBe(false);

    // The screen hands over the source it rendered: that is accepted and binds the source's SHA-256.
    const ack = await acks.acknowledge({ person: sam, policy: policy.value, publication: pub.value, shownText: shownSource(el) ?? '', typedName: 'Sam Staff' }, samPhone);
    if (!ack.ok) throw new Error(JSON.stringify(ack.errors));
    expect(ack.value.textSha256).toBe(sourceSha);
    expect(covers(ack.value, pub.value)).toBe(true);
  });
});
