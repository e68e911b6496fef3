import { createWindowVirtualizer } from '@tanstack/solid-virtual';
import { For, type JSX } from 'solid-js';

export interface VirtualListProps<T> {
  items: readonly T[];
  /** Estimated row height in px; rows are measured once rendered. */
  rowHeight?: number;
  /** Accessible name of the list. */
  label?: string;
  children: (item: T, index: number) => JSX.Element;
}

/**
 * A list that renders only the rows on screen (the page scrolls, not the list),
 * so a register of 10,000 rows stays fast on a phone. Rows are <li> elements
 * inside the app's `.list` style.
 *
 * @example
 * <VirtualList items={shown()} label="Training records">{(r) => <a class="list-item" href={...}>{r.course}</a>}</VirtualList>
 */
export function VirtualList<T>(props: VirtualListProps<T>) {
  let listEl: HTMLUListElement | undefined;
  const virtualizer = createWindowVirtualizer<HTMLLIElement>({
    get count() {
      return props.items.length;
    },
    estimateSize: () => props.rowHeight ?? 64,
    overscan: 8,
    get scrollMargin() {
      return listEl?.offsetTop ?? 0;
    },
  });
  return (
    <ul class="list virtual" ref={listEl} aria-label={props.label} style={{ height: `${virtualizer.getTotalSize()}px` }}>
      <For each={virtualizer.getVirtualItems()}>
        {(row) => (
          <li
            data-index={row.index}
            ref={(el) => queueMicrotask(() => virtualizer.measureElement(el))}
            style={{ transform: `translateY(${row.start - virtualizer.options.scrollMargin}px)` }}
          >
            {props.items[row.index] !== undefined ? props.children(props.items[row.index]!, row.index) : null}
          </li>
        )}
      </For>
    </ul>
  );
}
