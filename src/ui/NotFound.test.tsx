import { render } from 'solid-js/web';
import { afterEach, expect, it } from 'vitest';
import { NotFound } from './NotFound';

let dispose: (() => void) | undefined;
afterEach(() => {
  dispose?.();
  document.body.innerHTML = '';
});

const mount = (el: () => ReturnType<typeof NotFound>) => {
  const root = document.body.appendChild(document.createElement('div'));
  dispose = render(el, root);
  return root;
};

it('says what is missing and why, by default that it has not synced here yet', () => {
  const root = mount(() => <NotFound title="Course not found" />);
  expect(root.querySelector('.empty h2')?.textContent).toBe('Course not found');
  expect(root.querySelector('.empty p')?.textContent).toBe('It may not have synced to this device yet.');
  expect(root.querySelector('a')).toBeNull();
  expect(root.querySelector('.screen-header')).toBeNull();
});

it('with a header, a back arrow to the list; with a label, a link back in the text too', () => {
  const root = mount(() => <NotFound header="Role" back="#/roles" title="Role not found" backLabel="Back to roles" />);
  expect(root.querySelector('.screen-header h1')?.textContent).toBe('Role');
  expect(root.querySelector('.screen-header a.back')?.getAttribute('href')).toBe('#/roles');
  expect(root.querySelector('.empty p')?.textContent).toBe('It may not have synced to this device yet. Back to roles');
  expect(root.querySelector('.empty p a')?.getAttribute('href')).toBe('#/roles');
});

it('keeps a screen’s own reason', () => {
  const root = mount(() => <NotFound title="Not found" why="This person or competence is not on this device yet." back="#/competency" backLabel="Back" />);
  expect(root.querySelector('.empty p')?.textContent).toBe('This person or competence is not on this device yet. Back');
});
