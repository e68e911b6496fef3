import { describe, expect, it } from 'vitest';
import { isSafeLink, renderPolicyMarkdown } from './markdown';

describe('policy Markdown', () => {
  it('renders headings (one level down), lists, emphasis, tables and keeps single line breaks', () => {
    const html = renderPolicyMarkdown('# Purpose\nWhy we **lock** screens.\n\n## Rules\n- Lock\n- Report\n\n1. First\n2. Second\n\n| Role | Duty |\n|---|---|\n| Staff | Lock |');
    expect(html).toContain('<h2>Purpose</h2>');
    expect(html).toContain('<h3>Rules</h3>');
    expect(html).toContain('<p>Why we <strong>lock</strong> screens.</p>');
    expect(html).toContain('<ul>\n<li>Lock</li>\n<li>Report</li>\n</ul>');
    expect(html).toContain('<ol>\n<li>First</li>');
    expect(html).toMatch(/<table>[\s\S]*<th>Role<\/th>[\s\S]*<td>Staff<\/td>/);
    expect(renderPolicyMarkdown('Line one\nLine two')).toBe('<p>Line one<br>\nLine two</p>\n');
  });

  it.each([
    ['<script>alert(1)</script>', '&lt;script&gt;alert(1)&lt;/script&gt;'],
    ['<img src=x onerror=alert(1)>', '&lt;img src=x onerror=alert(1)&gt;'],
    ['<iframe src="https://evil.example"></iframe>', '&lt;iframe src=&quot;'],
    ['<div onclick="alert(1)">\n\n*raw block*\n\n</div>', '&lt;div onclick=&quot;alert(1)&quot;&gt;'],
    ['<svg onload=alert(1)>', '&lt;svg onload=alert(1)&gt;'],
  ])('escapes HTML in the source: %s', (src, escaped) => {
    const html = renderPolicyMarkdown(src);
    expect(html).toContain(escaped);
    expect(html).not.toMatch(/<(script|img|iframe|div|svg)\b/i);
  });

  it.each([
    '[x](javascript:alert(1))',
    '[x](JaVaScRiPt:alert(1))',
    '[x](&#106;avascript:alert(1))',
    '[x](<javascript:alert(1)>)',
    '<javascript:alert(1)>',
    '[x](vbscript:msgbox(1))',
    '[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)',
    '[x](data:image/png;base64,iVBORw0KGgo=)',
    '[x](file:///etc/passwd)',
    '[ref]\n\n[ref]: javascript:alert(1)',
  ])('makes no link of an unsafe URL: %s', (src) => {
    expect(renderPolicyMarkdown(src)).not.toContain('<a');
  });

  it('loads no images', () => {
    expect(renderPolicyMarkdown('![pixel](https://tracker.example/p.png)')).not.toContain('<img');
  });

  it('links open safely: rel="noopener noreferrer", web links in a new tab, in-app links in place', () => {
    expect(renderPolicyMarkdown('[Handbook](https://acme.example/handbook)')).toContain('<a href="https://acme.example/handbook" rel="noopener noreferrer" target="_blank">Handbook</a>');
    expect(renderPolicyMarkdown('Write to security@acme.example')).toContain('<a href="mailto:security@acme.example" rel="noopener noreferrer">security@acme.example</a>');
    expect(renderPolicyMarkdown('[My policies](#/my-policies)')).toContain('<a href="#/my-policies">My policies</a>');
  });

  it('isSafeLink keeps http(s), mailto, tel and scheme-less links only', () => {
    for (const ok of ['https://a.example', 'http://a.example', 'mailto:a@b.example', 'tel:+441234', '#/policies', 'handbook.pdf']) expect(isSafeLink(ok), ok).toBe(true);
    for (const bad of ['javascript:alert(1)', ' javascript:alert(1)', 'java\tscript:alert(1)', '\u0001javascript:x', 'data:text/html,x', 'vbscript:x', 'file:///x', 'blob:https://a/x']) expect(isSafeLink(bad), bad).toBe(false);
  });
});
