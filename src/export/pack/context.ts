import { isIsoDate, localDayOf } from '../../domain/dates';
import { historyOf, parseSignOffEntry, type SignOffEntry } from '../../domain/signoff';
import type { DirectoryPerson, PackContext, PackProvisions, Reader } from '../../evidence/context';
import type { PackInput, PackPeriod, RawRegister } from '../../evidence/types';
import { HOOKS } from './hooks';

const EMPTY: RawRegister = { records: {}, entries: {} };
const NOBODY: Reader<readonly DirectoryPerson[]> = () => [];
const NO_ROLES: Reader<Map<string, string[]>> = () => new Map();

/** The register that says who is in which team (its pack hook's `directory`), found among the hooks: no register is named here. */
const DIRECTORY = HOOKS.find((h) => h.directory)?.directory ?? NOBODY;
/** Likewise the register that says who holds which security role. */
const ROLE_HOLDERS = HOOKS.find((h) => h.roleHolders)?.roleHolders ?? NO_ROLES;

/**
 * The registers of a PackInput as the pack hooks read them: each register's
 * own readers (`ctx.read(readPeople)`) run once per pack on the JSON
 * documents, the period and the scope. Lazy: a register nobody asks for is
 * never parsed.
 */
export class PackReads implements PackContext {
  readonly input: PackInput;
  readonly period: PackPeriod;
  readonly asOf: string;
  private cache = new Map<string, unknown>();
  private reads = new Map<Reader<unknown>, unknown>();

  constructor(input: PackInput) {
    this.input = input;
    this.period = input.period;
    this.asOf = input.period.to < input.today ? input.period.to : input.today;
  }

  memo<T>(key: string, compute: () => T): T {
    if (!this.cache.has(key)) this.cache.set(key, compute());
    return this.cache.get(key) as T;
  }

  read<T>(reader: Reader<T>): T {
    if (!this.reads.has(reader)) this.reads.set(reader, reader(this));
    return this.reads.get(reader) as T;
  }

  raw(register: string): RawRegister {
    return this.input.registers[register] ?? EMPTY;
  }

  records(register: string): Array<[string, Record<string, unknown>]> {
    return Object.entries(this.raw(register).records);
  }

  entries(register: string): unknown[] {
    return Object.values(this.raw(register).entries);
  }

  // ---------- period and scope ----------

  /** The device's calendar day of a timestamp (the worker shares the page's time zone). */
  dayOf(at: string): string {
    return localDayOf(at);
  }

  inPeriod(dateOrInstant: string): boolean {
    const day = isIsoDate(dateOrInstant) ? dateOrInstant : this.dayOf(dateOrInstant);
    return day >= this.period.from && day <= this.period.to;
  }

  monthInPeriod(month: string): boolean {
    return `${month}-31` >= this.period.from && `${month}-01` <= this.period.to;
  }

  get allTeams(): boolean {
    return this.input.scope.teams === 'all';
  }

  private get directory(): readonly DirectoryPerson[] {
    return this.read(DIRECTORY);
  }

  /** The directory by person id. */
  get byId(): Map<string, DirectoryPerson> {
    return this.memo('directoryById', () => new Map(this.directory.map((p) => [p.id, p])));
  }

  get scopeTeams(): string[] {
    return this.memo('scopeTeams', () =>
      this.input.scope.teams === 'all' ? [...new Set(this.directory.filter((p) => !p.archived && p.team).map((p) => p.team))].sort((a, b) => a.localeCompare(b)) : [...this.input.scope.teams].sort((a, b) => a.localeCompare(b)),
    );
  }

  teamInScope(team: string): boolean {
    return this.input.scope.teams === 'all' || this.input.scope.teams.includes(team);
  }

  personInScope(personId: string): boolean {
    if (this.allTeams) return true;
    const p = this.byId.get(personId);
    return !!p && this.teamInScope(p.team);
  }

  get scopeLabel(): string {
    return this.input.scope.teams === 'all' ? 'All teams' : this.input.scope.teams.length ? [...this.input.scope.teams].sort((a, b) => a.localeCompare(b)).join(', ') : 'No team';
  }

  /** An arrow, so hooks can hand it on as is (`csv(rows, ctx.nameOf)`). */
  nameOf = (personId: string): string => this.byId.get(personId)?.name ?? '';

  get rolesByPerson(): Map<string, string[]> {
    return this.read(ROLE_HOLDERS);
  }

  get allNames(): string[] {
    return this.memo('allNames', () => this.directory.map((p) => p.name).filter(Boolean));
  }

  provided<K extends keyof PackProvisions>(key: K): PackProvisions[K] | undefined {
    return this.memo(`provided:${String(key)}`, () => HOOKS.find((h) => h.provides?.[key])?.provides?.[key]?.(this));
  }

  historyOf(register: string, recordId: string): SignOffEntry[] {
    const byRecord = this.memo(`history:${register}`, () => {
      const map = new Map<string, SignOffEntry[]>();
      for (const e of this.entries(register).map(parseSignOffEntry)) if (e) map.set(e.recordId, [...(map.get(e.recordId) ?? []), e]);
      return map;
    });
    return historyOf(byRecord.get(recordId) ?? [], recordId);
  }
}
