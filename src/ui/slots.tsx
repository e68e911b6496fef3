import { type Component, For, lazy, Suspense } from 'solid-js';
import { DESCRIPTORS } from './descriptors';
import type { Panel, RegisterDescriptor, Slots } from './register';

/*
 * What registers add to each other's screens (`contributes` in their
 * register.ts). Found as the app finds the registers (src/ui/registry.ts), by
 * glob, so a screen with a slot names none of the registers that fill it.
 */

/** What the registers put in `slot`, in the order of their names; none when no register fills it. */
export function contributions<K extends keyof Slots>(slot: K, from: readonly RegisterDescriptor[] = DESCRIPTORS): Array<NonNullable<Slots[K]>> {
  return from.flatMap((d) => {
    const c = d.contributes?.[slot];
    return c ? [c as NonNullable<Slots[K]>] : [];
  });
}

type PanelSlot = { [K in keyof Slots]: Slots[K] extends Panel<never> ? K : never }[keyof Slots];
type PanelProps<K extends PanelSlot> = Slots[K] extends Panel<infer P extends Record<string, unknown>> ? P : never;

/**
 * The panels contributed to `slot`, as one component. Their chunks start
 * loading now: call it at the top of the screen's module, so they are there
 * by the time a person opens the screen. Each shows once loaded, without
 * holding the rest of the screen.
 */
export function slotPanels<K extends PanelSlot>(slot: K, from?: readonly RegisterDescriptor[]): Component<PanelProps<K>> {
  const panels = contributions(slot, from).map((load) => {
    const C = lazy(load as unknown as Panel<PanelProps<K>>);
    void C.preload();
    return C;
  });
  return (props) => <For each={panels}>{(C) => <Suspense><C {...props} /></Suspense>}</For>;
}
