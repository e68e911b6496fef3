import MarkdownIt from 'markdown-it';

/**
 * Policy text is written in Markdown and shown as HTML, through markdown-it
 * (never a hand-written parser). What makes it safe to put into the page:
 *  - `html: false`: any HTML in the source (`<script>`, `<iframe>`, `<img onerror>`,
 *    raw HTML blocks) is escaped and shows as text;
 *  - links keep only http(s), mailto and tel schemes, or no scheme at all
 *    (`#/policies/…`); `javascript:`, `data:`, `vbscript:`, `file:` and any
 *    other scheme stay plain text;
 *  - images are off: a policy cannot load a remote picture (a tracking pixel,
 *    or nothing when offline); `![alt](url)` shows as "!" and a link;
 *  - links carry `rel="noopener noreferrer"`; web links open in a new tab, in-app `#…` links in place.
 * The SHA-256 of a version is always that of its source text, never of this HTML.
 */

const SCHEME = /^([a-z][a-z0-9+.-]*):/i;
const SAFE_SCHEMES = new Set(['http', 'https', 'mailto', 'tel']);

/** A link target a policy may use: http(s), mailto, tel, or no scheme (relative, #fragment). */
export function isSafeLink(url: string): boolean {
  // Browsers ignore tabs, newlines and leading control characters/spaces in a URL, so do the same before reading the scheme.
  const cleaned = url.replace(/[\u0000-\u0020\u007f]+/g, '');
  const m = SCHEME.exec(cleaned);
  return m ? SAFE_SCHEMES.has(m[1]!.toLowerCase()) : true;
}

const md = new MarkdownIt('default', { html: false, linkify: true, breaks: true, typographer: false });
md.disable('image');
md.validateLink = isSafeLink;

// The screen's title is the h1 and its cards use h2: a policy's "# Purpose" is a section of it, so shift levels by one.
md.core.ruler.push('policy_heading_levels', (state) => {
  for (const t of state.tokens) {
    if (t.type === 'heading_open' || t.type === 'heading_close') t.tag = `h${Math.min(6, Number(t.tag.slice(1)) + 1)}`;
  }
});

const defaultLinkOpen = md.renderer.rules.link_open ?? ((tokens, idx, options, _env, self) => self.renderToken(tokens, idx, options));
md.renderer.rules.link_open = (tokens, idx, options, env, self) => {
  const token = tokens[idx]!;
  const href = String(token.attrGet('href') ?? '');
  if (!href.startsWith('#')) token.attrSet('rel', 'noopener noreferrer');
  if (/^https?:/i.test(href)) token.attrSet('target', '_blank');
  return defaultLinkOpen(tokens, idx, options, env, self);
};

/** The HTML for a policy's Markdown source: headings, lists, emphasis, links, tables, quotes, code; no HTML of its own. */
export function renderPolicyMarkdown(source: string): string {
  return md.render(source);
}
