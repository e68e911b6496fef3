import { createRoot } from 'solid-js';
import { afterEach, expect, it, vi } from 'vitest';
import { useOnline } from './online';

afterEach(() => vi.restoreAllMocks());

it('follows navigator.onLine through offline and online events, and stops listening when its owner goes', () => {
  let onLine = true;
  vi.spyOn(navigator, 'onLine', 'get').mockImplementation(() => onLine);
  const removed = vi.spyOn(window, 'removeEventListener');
  createRoot((dispose) => {
    const online = useOnline();
    expect(online()).toBe(true);
    onLine = false;
    dispatchEvent(new Event('offline'));
    expect(online()).toBe(false);
    onLine = true;
    dispatchEvent(new Event('online'));
    expect(online()).toBe(true);
    dispose();
    expect(removed.mock.calls.map(([type]) => type).sort()).toEqual(['offline', 'online']);
    onLine = false;
    dispatchEvent(new Event('offline'));
    expect(online()).toBe(true);
  });
});
