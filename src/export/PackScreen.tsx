import { ToggleButton } from '@kobalte/core/toggle-button';
import { createMemo, createSignal, For, Match, onCleanup, Show, Switch } from 'solid-js';
import { formatBytes } from '../domain/bytes';
import { formatDate, localIsoDate } from '../domain/dates';
import { EmptyState, ScreenHeader } from '../ui/common';
import { Field, SelectField } from '../ui/Field';
import { useSession } from '../ui/session';
import { downloadBytes } from '../evidence/download';
import { packRequest, type Running, runInWorker, warmPackWorker, withAttachments } from './pack/client';
import { HOOKS } from './pack/hooks';
import { packFileName, slug } from '../evidence/names';
import { type PeriodPreset, PRESET_LABELS, presetPeriod, validatePeriod } from './pack/period';
import type { PackPeriod, PackProgress } from '../evidence/types';
import { plural } from '../domain/plural';
import './pack/pack.css';

/*
 * #/export: the A 5.4 evidence pack. Choose a period and teams, export: the
 * pack is built in a Web Worker (the screen stays responsive, Cancel stops
 * it) and downloads as one ZIP. Works offline: nothing leaves the device.
 */

type State =
  | { kind: 'idle' }
  | { kind: 'running'; progress: PackProgress }
  | { kind: 'done'; name: string; zipBytes: Uint8Array; files: Array<{ path: string; bytes: number }>; missing: string[]; pages: number; ms: number; requestMs: number }
  | { kind: 'cancelled' }
  | { kind: 'failed'; message: string };


export default function PackScreen() {
  const s = useSession();
  const today = localIsoDate();
  const [preset, setPreset] = createSignal<PeriodPreset>('last-12-months');
  const initial = presetPeriod('last-12-months', today)!;
  const [from, setFrom] = createSignal(initial.from);
  const [to, setTo] = createSignal(initial.to);
  const [allTeams, setAllTeams] = createSignal(true);
  const [chosen, setChosen] = createSignal<string[]>([]);
  const [errors, setErrors] = createSignal<Partial<Record<'from' | 'to' | 'teams', string>>>({});
  const [state, setState] = createSignal<State>({ kind: 'idle' });
  const [register, setRegister] = createSignal(HOOKS[0]?.register ?? '');
  const [sectionState, setSectionState] = createSignal<{ kind: 'idle' } | { kind: 'running' } | { kind: 'done'; name: string; pages: number } | { kind: 'failed'; message: string }>({ kind: 'idle' });
  let running: Running<unknown> | undefined;
  onCleanup(() => running?.cancel());
  // Load the worker's script while the user picks the period, not after the tap;
  // after each export, warm the next one (a worker is used once, then terminated).
  let stopWarm = warmPackWorker();
  const rewarm = () => {
    stopWarm = warmPackWorker();
  };
  onCleanup(() => stopWarm());

  const choosePreset = (p: PeriodPreset) => {
    setPreset(p);
    const period = presetPeriod(p, today);
    if (period) {
      setFrom(period.from);
      setTo(period.to);
    }
    setErrors((e) => ({ ...e, from: undefined, to: undefined }));
  };
  const toggleTeam = (team: string, on: boolean) => {
    setChosen((list) => (on ? [...new Set([...list, team])] : list.filter((t) => t !== team)));
    setErrors((e) => ({ ...e, teams: undefined }));
  };

  /** The period and scope, checked; undefined (with messages shown) when something is wrong. */
  const settings = (): { period: PackPeriod; teams: 'all' | string[] } | undefined => {
    const p = validatePeriod(from(), to());
    const next: Partial<Record<'from' | 'to' | 'teams', string>> = p.ok ? {} : { ...p.errors };
    if (!allTeams() && chosen().length === 0) next.teams = 'Choose at least one team, or All teams.';
    setErrors(next);
    if (!p.ok || next.teams) return undefined;
    return { period: p.value, teams: allTeams() ? 'all' : [...chosen()].sort((a, b) => a.localeCompare(b)) };
  };

  const meta = (period: PackPeriod, teams: 'all' | string[]) => ({
    organisation: s.settings.orgName(),
    generatedAt: new Date().toISOString(),
    generatedBy: s.signer().name,
    today: localIsoDate(),
    period,
    scope: { teams },
  });

  const exportPack = async () => {
    const chosenSettings = settings();
    if (!chosenSettings) return;
    const { period, teams } = chosenSettings;
    setState({ kind: 'running', progress: { fraction: 0, step: 'Reading the registers' } });
    const t0 = performance.now();
    const { request, transfer } = await withAttachments(await packRequest(s, meta(period, teams)));
    const requestMs = performance.now() - t0;
    const run = runInWorker({ kind: 'pack', request }, transfer, (progress) => setState((st) => (st.kind === 'running' ? { kind: 'running', progress } : st)));
    running = run;
    try {
      const reply = await run.result;
      const name = packFileName(s.settings.orgName(), period.from, period.to);
      downloadBytes(name, reply.zip, 'application/zip');
      setState({ kind: 'done', name, zipBytes: reply.zip, files: reply.files, missing: reply.missing, pages: reply.pages, ms: reply.ms, requestMs });
    } catch (e) {
      setState(e instanceof Error && e.name === 'AbortError' ? { kind: 'cancelled' } : { kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    } finally {
      if (running === run) running = undefined;
      rewarm();
    }
  };

  const exportSection = async () => {
    const chosenSettings = settings();
    if (!chosenSettings || !register()) return;
    const { period, teams } = chosenSettings;
    setSectionState({ kind: 'running' });
    const { request, transfer } = await packRequest(s, meta(period, teams));
    const run = runInWorker({ kind: 'section', request, register: register() }, transfer);
    try {
      const reply = await run.result;
      const name = `muster-${slug(reply.title, 'register')}-${slug(s.settings.orgName())}-${period.from}-${period.to}.pdf`;
      downloadBytes(name, reply.bytes, 'application/pdf');
      setSectionState({ kind: 'done', name, pages: reply.pages });
    } catch (e) {
      setSectionState({ kind: 'failed', message: e instanceof Error ? e.message : String(e) });
    } finally {
      rewarm();
    }
  };

  const busy = () => state().kind === 'running';
  const periodLabel = createMemo(() => {
    const p = validatePeriod(from(), to());
    return p.ok ? `${formatDate(p.value.from)} – ${formatDate(p.value.to)}` : '';
  });
  const percent = () => {
    const st = state();
    return st.kind === 'running' ? Math.round(st.progress.fraction * 100) : 0;
  };

  return (
    <div class="pack-screen">
      <ScreenHeader title="Evidence pack" />
      <p class="muted pack-lede">
        Everything an auditor asks for under ISO 27001 A 5.4, in one ZIP: <b>report.pdf</b>, one CSV per register, <b>evidence.json</b> and a <b>manifest</b> with the SHA-256 of every file. Built on this device; it works offline.
      </p>

      <fieldset class="card pack-fieldset" disabled={busy()}>
        <legend class="pack-legend">Period</legend>
        <div class="pack-choices" role="radiogroup" aria-label="Period">
          <For each={['last-12-months', 'this-year', 'custom'] as const}>
            {(p) => (
              <label class="pack-choice" data-checked={preset() === p ? '' : undefined}>
                <input type="radio" name="pack-period" value={p} checked={preset() === p} onChange={() => choosePreset(p)} />
                {PRESET_LABELS[p]}
              </label>
            )}
          </For>
        </div>
        <Show when={preset() === 'custom'}>
          <div class="row">
            <Field label="From" type="date" value={from()} onChange={(v) => { setFrom(v); setErrors((e) => ({ ...e, from: undefined, to: undefined })); }} error={errors().from} />
            <Field label="To" type="date" value={to()} onChange={(v) => { setTo(v); setErrors((e) => ({ ...e, from: undefined, to: undefined })); }} error={errors().to} />
          </div>
        </Show>
        <Show when={preset() !== 'custom' || periodLabel()}>
          <p class="muted pack-period" data-testid="pack-period">{periodLabel()}</p>
        </Show>
      </fieldset>

      <fieldset class="card pack-fieldset" disabled={busy()}>
        <legend class="pack-legend">Teams</legend>
        <Show when={s.people.teams().length > 0} fallback={<p class="muted">No teams yet: a team exists when someone in People is in it. The pack covers the whole workspace.</p>}>
          <div class="chips" role="group" aria-label="Teams">
            <ToggleButton class="chip" pressed={allTeams()} onChange={(on) => { setAllTeams(on); setErrors((e) => ({ ...e, teams: undefined })); }} data-testid="scope-all">
              All teams
            </ToggleButton>
            <For each={s.people.teams()}>
              {(team) => (
                <ToggleButton class="chip" pressed={!allTeams() && chosen().includes(team)} onChange={(on) => { setAllTeams(false); toggleTeam(team, on); }} data-testid="scope-team">
                  {team}
                </ToggleButton>
              )}
            </For>
          </div>
          <Show when={errors().teams}>
            <p class="field-error" role="alert">{errors().teams}</p>
          </Show>
        </Show>
      </fieldset>

      <section class="card" aria-labelledby="pack-export-title">
        <h2 id="pack-export-title" class="visually-hidden">Export</h2>
        <Switch>
          <Match when={state().kind === 'running'}>
            <div class="pack-progress-wrap" data-testid="pack-progress">
              <div class="pack-progress" role="progressbar" aria-label="Building the evidence pack" aria-valuemin={0} aria-valuemax={100} aria-valuenow={percent()}>
                <div class="pack-progress-bar" style={{ width: `${percent()}%` }} />
              </div>
              <p class="pack-step" aria-live="polite" data-testid="pack-step">
                {(state() as Extract<State, { kind: 'running' }>).progress.step}… {percent()}%
              </p>
              <button class="btn block" type="button" onClick={() => running?.cancel()}>Cancel</button>
            </div>
          </Match>
          <Match when={state().kind !== 'running'}>
            <button class="btn primary block" type="button" onClick={exportPack}>Export pack</button>
          </Match>
        </Switch>
        <Show when={state().kind === 'cancelled'}>
          <p class="muted pack-note" role="status">Export cancelled. Nothing was downloaded.</p>
        </Show>
        <Show when={state().kind === 'failed'}>
          <p class="banner error pack-note" role="alert">The pack could not be built: {(state() as Extract<State, { kind: 'failed' }>).message}</p>
        </Show>
        <Show when={state().kind === 'done' && (state() as Extract<State, { kind: 'done' }>)} keyed>
          {(done) => (
            <div class="pack-done" data-testid="pack-done" data-build-ms={Math.round(done.ms)} data-request-ms={Math.round(done.requestMs)} data-pages={done.pages}>
              <p class="pack-done-title" role="status">
                Downloaded <b>{done.name}</b> ({formatBytes(done.zipBytes.length)}, report of {plural(done.pages, 'page')}).
              </p>
              <Show when={done.missing.length > 0}>
                <div class="pack-missing" data-testid="pack-missing">
                  <p><b>Not yet in the pack:</b></p>
                  <ul>
                    <For each={done.missing}>{(m) => <li>{m}</li>}</For>
                  </ul>
                </div>
              </Show>
              <table class="pack-files" data-testid="pack-files">
                <caption class="visually-hidden">Files in the pack</caption>
                <thead>
                  <tr>
                    <th scope="col">File</th>
                    <th scope="col">Size</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={done.files}>
                    {(f) => (
                      <tr>
                        <td>{f.path}</td>
                        <td>{formatBytes(f.bytes)}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
              <button class="btn block" type="button" onClick={() => downloadBytes(done.name, done.zipBytes, 'application/zip')}>Download again</button>
            </div>
          )}
        </Show>
      </section>

      <section class="card" aria-labelledby="pack-one-title">
        <h2 id="pack-one-title">One register as PDF</h2>
        <Show when={HOOKS.length > 0} fallback={<EmptyState title="No registers" />}>
          <p class="muted">The same section as in the report, for the period and teams above: to attach to an email.</p>
          <SelectField label="Register" value={register()} onChange={setRegister} options={HOOKS.map((h) => ({ value: h.register, label: h.title }))} />
          <button class="btn block" type="button" disabled={sectionState().kind === 'running' || busy()} onClick={exportSection}>
            {sectionState().kind === 'running' ? 'Building the PDF…' : 'Export as PDF'}
          </button>
          <Show when={sectionState().kind === 'done' && (sectionState() as { name: string; pages: number })} keyed>
            {(d) => <p class="muted pack-note" role="status">Downloaded {d.name} ({plural(d.pages, 'page')}).</p>}
          </Show>
          <Show when={sectionState().kind === 'failed'}>
            <p class="banner error pack-note" role="alert">The PDF could not be built: {(sectionState() as { message: string }).message}</p>
          </Show>
        </Show>
      </section>
    </div>
  );
}
