import { createSignal, type JSX, Show } from 'solid-js';
import { NO_TEAM } from '../../domain/permissions';
import { SelectField } from '../../ui/SelectField';
import { useSession } from '../../ui/session';

/**
 * What to say when no team can be chosen: either the workspace has no teams
 * yet (`children`: how to add them), or this device's role sees none of them.
 */
export function NoTeam(props: { children: JSX.Element }) {
  const s = useSession();
  return (
    <Show when={s.people.teams().length > 0} fallback={props.children}>
      <NoTeamOfMine />
    </Show>
  );
}

/** A manager who sees no team: why, and what an owner must do. */
export function NoTeamOfMine() {
  const s = useSession();
  const linked = () => s.access.me()?.personId;
  return (
    <p data-testid="no-team-visible">
      <Show
        when={linked() && !s.people.byId().get(linked()!)}
        fallback={<>{NO_TEAM} This device signs as “{s.workspace().memberName}”: the owner adds you under that name, or invites you again linked to your person.</>}
      >
        This device is linked to a person whose record has not reached it yet. It shows your team’s records once it syncs; if it does not, ask an owner to check you are in People with your team.
      </Show>
    </p>
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

/**
 * A team field that offers, shows and hands over only the teams this device may
 * choose (`access.teamOptions`). A team it may not choose — from a hand-edited
 * link (`?team=Sales`), or left in an open form after the role or the team
 * changed on another device — is never submitted: the field shows no team and
 * says why.
 *
 * @example
 * const team = createTeamChoice(route().params.get('team'));
 * <TeamSelect choice={team} error={errors()['team']} />
 * const t = team.value(); if (t === undefined) return; // refused: the field says why
 */
export function createTeamChoice(initial?: string | null) {
  const s = useSession();
  const options = () => s.access.teamOptions();
  const [picked, setPicked] = createSignal(initial ?? (options().length === 1 ? options()[0]! : ''));
  const refusal = () => s.access.teamRefusal(picked());
  return {
    options,
    /** What the field shows: the chosen team, or none when it is refused. */
    shown: () => (refusal() ? '' : picked()),
    set: setPicked,
    refusal,
    /** The team to store ('' when none is chosen), or undefined when the chosen one is refused. */
    value: (): string | undefined => (refusal() ? undefined : picked()),
  };
}

export type TeamChoice = ReturnType<typeof createTeamChoice>;

/** The select of a `TeamChoice`; the refusal comes first, then `error` (e.g. "Choose a team"). */
export function TeamSelect(props: { choice: TeamChoice; error?: string | undefined; label?: string; placeholder?: string; onChange?: (team: string) => void }) {
  return (
    <SelectField
      label={props.label ?? 'Team'}
      value={props.choice.shown()}
      onChange={props.onChange ?? props.choice.set}
      placeholder={props.placeholder ?? 'Choose a team'}
      options={props.choice.options().map((t) => ({ value: t, label: t }))}
      error={props.choice.refusal() ?? props.error}
    />
  );
}
