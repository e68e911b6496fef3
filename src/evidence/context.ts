import type { SignOffEntry } from '../domain/signoff';
import type { PackInput, PackPeriod, RawRegister, RegisterSection, RequirementKey } from './types';

/*
 * One read interface for every register: a register says, in its own model,
 * how its document is read (`Reader`: records + entries → typed, sorted once),
 * and whoever holds the documents answers `read` — the pack from JSON in the
 * worker (src/export/pack/context.ts), memoised, so each is read once a pack.
 */

/** Register documents as plain JSON, by register name. */
export interface Source {
  raw(register: string): RawRegister;
  records(register: string): Array<[string, Record<string, unknown>]>;
  entries(register: string): unknown[];
  /** A register's typed reading, computed once per source. */
  read<T>(reader: Reader<T>): T;
  /** The device's calendar day of a timestamp. */
  dayOf(at: string): string;
}

/** How something is read from the documents: a pure function, memoised by identity. */
export type Reader<T> = (src: Source) => T;

/** Who is in which team: the one register that says so declares it (`RegisterPack.directory`). */
export interface DirectoryPerson {
  id: string;
  name: string;
  team: string;
  /** Their manager's person id, when People names one (the right rules of signed evidence ask). */
  managerId?: string;
  /** Marked as left: their team no longer counts among the teams of "every team". */
  archived: boolean;
}

/** What a register's pack hook may ask of the pack being built: the documents, the period and the scope. */
export interface PackContext extends Source {
  readonly input: PackInput;
  readonly period: PackPeriod;
  /** The day figures are computed on: the period's end, or today when the period ends later. */
  readonly asOf: string;
  /** Computes something once per pack, e.g. a table two sections share. */
  memo<T>(key: string, compute: () => T): T;
  /** Is an ISO date (or timestamp) within the period? */
  inPeriod(dateOrInstant: string): boolean;
  /** Does an ISO month overlap the period? */
  monthInPeriod(month: string): boolean;
  readonly allTeams: boolean;
  /** The teams in scope, by name. */
  readonly scopeTeams: string[];
  teamInScope(team: string): boolean;
  /** A person of a team in scope (someone not in the directory counts only when every team is in scope). */
  personInScope(personId: string): boolean;
  /** "All teams" or "Ops, Sales". */
  readonly scopeLabel: string;
  /** A person's name, or '' when they are not in the directory. */
  nameOf(personId: string): string;
  /** personId → the security roles they hold (audiences of policies and courses are roles). */
  readonly rolesByPerson: Map<string, string[]>;
  /** Every name in the directory, to scrub from redacted text. */
  readonly allNames: string[];
  /** Sign-off history of one record of a signed register, oldest first. */
  historyOf(register: string, recordId: string): SignOffEntry[];
  /** What another register's hook provides under `key` (`RegisterPack.provides`), made once per pack; undefined when no hook provides it. */
  provided<K extends keyof PackProvisions>(key: K): PackProvisions[K] | undefined;
}

/**
 * What one register's pack hook hands another's, by name, so that the one
 * reading it names not the one providing it (policies show the rate that
 * acknowledgements count). Empty here: the register that reads a provision
 * declares it in its pack.ts (`declare module '../../evidence/context' {
 * interface PackProvisions { 'policy-rate': (p: Policy) => Rate } }`).
 */
// biome-ignore lint: an interface that registers extend by declaration merging
export interface PackProvisions {}

export interface RegisterPack {
  /** Register (document) name, e.g. "people"; also the key under evidence.json `registers`. */
  register: string;
  /** Section title, e.g. "People". */
  title: string;
  /** The A 5.4 requirements this register evidences. */
  requirements: ReadonlyArray<RequirementKey | (string & {})>;
  /** Position of the section in the report (lower first). */
  order: number;
  build(ctx: PackContext): RegisterSection;
  /**
   * Whether an append-only entry of this register's document is in the pack's
   * period and scope (its full text goes in evidence.json; others are pinned by
   * hash only). Default: the entry's `at` timestamp falls in the period, and
   * the scope is every team.
   */
  includeEntry?(entry: unknown, ctx: PackContext): boolean;
  /** Who is in which team, for the pack's scope: declared by the register of people (one register only). */
  directory?: Reader<readonly DirectoryPerson[]>;
  /** Who holds which security role: declared by the register of roles (one register only). */
  roleHolders?: Reader<Map<string, string[]>>;
  /** What this hook provides to others' (`ctx.provided(key)`), made from the pack's context; one hook per key. */
  provides?: { readonly [K in keyof PackProvisions]?: (ctx: PackContext) => PackProvisions[K] };
}
