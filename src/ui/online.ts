import { type Accessor, createSignal, onCleanup } from 'solid-js';

/** navigator.onLine as a signal, for the owner it is called under (the listeners go with it). */
export function useOnline(): Accessor<boolean> {
  const [online, setOnline] = createSignal(navigator.onLine);
  const update = () => setOnline(navigator.onLine);
  addEventListener('online', update);
  addEventListener('offline', update);
  onCleanup(() => {
    removeEventListener('online', update);
    removeEventListener('offline', update);
  });
  return online;
}
