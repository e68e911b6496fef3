import { createRenderEffect } from 'solid-js';
import { renderPolicyMarkdown } from './markdown';

/** The source text each rendered policy element shows, so an acknowledgement hashes exactly what was on screen. */
const shown = new WeakMap<Element, string>();

/**
 * The source of the policy text this element renders (undefined if it renders none). Acknowledging
 * hashes this, not the element's textContent: the SHA-256 of a version is that of its Markdown source.
 */
export const shownSource = (el: Element | undefined): string | undefined => (el ? shown.get(el) : undefined);

/** A policy's text, rendered from Markdown (markdown.ts says what is allowed: no HTML of its own, safe links only). */
export function PolicyText(props: { text: string; boxed?: boolean; testId?: string; ref?: (el: HTMLDivElement) => void }) {
  const mount = (el: HTMLDivElement) => {
    createRenderEffect(() => {
      const text = props.text;
      el.innerHTML = renderPolicyMarkdown(text);
      shown.set(el, text);
    });
    props.ref?.(el);
  };
  return <div ref={mount} classList={{ 'policy-text': true, md: true, boxed: !!props.boxed }} data-testid={props.testId} />;
}
