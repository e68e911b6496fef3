import type { JSX } from 'solid-js';

export function EmptyState(props: { title: string; children?: JSX.Element }) {
  return (
    <div class="empty" role="note">
      <h2>{props.title}</h2>
      {props.children}
    </div>
  );
}

export function Badge(props: { tone: 'ok' | 'warn' | 'bad' | 'info' | 'muted'; children: JSX.Element }) {
  return <span class={`badge ${props.tone}`}>{props.children}</span>;
}

export function ScreenHeader(props: { title: string; back?: string; children?: JSX.Element }) {
  return (
    <div class="screen-header">
      {props.back ? (
        <a class="back" href={props.back} aria-label="Back">
          ‹
        </a>
      ) : null}
      <h1>{props.title}</h1>
      <div class="actions">{props.children}</div>
    </div>
  );
}

/** Today as an ISO date in the device's time zone, and a stamp for file names. */
export const fileStamp = () => new Date().toISOString().slice(0, 10);
