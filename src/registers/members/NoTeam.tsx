import { type JSX, Show } from 'solid-js';
import { useSession } from '../../ui/session';

/**
 * What to say when no team can be chosen: either the workspace has no teams
 * yet (`children`: how to add them), or this device's role sees none of them.
 */
export function NoTeam(props: { children: JSX.Element }) {
  const s = useSession();
  return (
    <Show when={s.people.teams().length > 0} fallback={props.children}>
      <p data-testid="no-team-visible">
        You do not manage a team yet. Managers see the checklists and briefings of their own team: ask an owner to link this device to your
        person in People, with your team.
      </p>
    </Show>
  );
}

/** Shows `children` only when this device sees `team`; otherwise says why (a manager opening another team's record by link). */
export function TeamGate(props: { team: string | undefined; children: JSX.Element }) {
  const s = useSession();
  return (
    <Show when={props.team === undefined || s.access.teamVisible(props.team)} fallback={
      <div class="empty" data-testid="team-refused">
        <h2>Not available on this device</h2>
        <p>This record belongs to the {props.team} team. Managers see the checklists and briefings of their own team; owners see every team’s.</p>
      </div>
    }>
      {props.children}
    </Show>
  );
}
