import { describe, expect, it } from 'vitest';
import type { Person } from '../people/model';
import type { SecurityRole } from '../roles/model';
import {
  cellStatus,
  type Competence,
  competenceFromFields,
  competenceGaps,
  type CompetencyInput,
  type Holding,
  holdingFromFields,
  holdingId,
  roleMatrix,
  validateCompetence,
  validateHolding,
} from './model';

const TODAY = '2026-11-25';
const person = (id: string, name: string, archived = false): Person => ({ id, name, email: '', team: 'Ops', jobTitle: '', startDate: '', managerId: '', archived });
const role = (id: string, name: string, holders: string[], archived = false): SecurityRole => ({ id, name, responsibilities: '', holders, archived });
const competence = (id: string, name: string, required: Record<string, 1 | 2 | 3>, extra: Partial<Competence> = {}): Competence => ({
  id, name, kind: 'skill', courseId: '', required, archived: false, ...extra,
});
const holding = (personId: string, competenceId: string, level: 0 | 1 | 2 | 3): Holding => ({
  id: holdingId(personId, competenceId), personId, competenceId, level, evidence: '', assessedOn: '2026-01-10',
});

const ada = person('ada', 'Ada');
const bob = person('bob', 'Bob');
const isms = role('isms', 'ISMS manager', ['ada', 'bob']);
const risk = competence('risk', 'Risk assessment', { isms: 2 });

const input = (over: Partial<CompetencyInput>): CompetencyInput => ({
  people: [ada, bob],
  roles: [isms],
  competences: [risk],
  holdings: [],
  validCourses: () => new Set(),
  today: TODAY,
  ...over,
});

describe('competence gaps', () => {
  it('reports each holder without the competence, with a label and a link to the role’s matrix', () => {
    expect(competenceGaps(input({}))).toEqual([
      { personId: 'ada', kind: 'competence-missing', label: 'ISMS manager: Risk assessment (level 2) missing', href: '#/competency?role=isms' },
      { personId: 'bob', kind: 'competence-missing', label: 'ISMS manager: Risk assessment (level 2) missing', href: '#/competency?role=isms' },
    ]);
  });

  it('counts a level below the required one as a gap, and the required level or above as held', () => {
    const gaps = competenceGaps(input({ holdings: [holding('ada', 'risk', 1), holding('bob', 'risk', 3)] }));
    expect(gaps.map((g) => g.personId)).toEqual(['ada']);
    expect(competenceGaps(input({ holdings: [holding('ada', 'risk', 2), holding('bob', 'risk', 2)] }))).toEqual([]);
  });

  it('a level 0 holding (not held) is still a gap', () => {
    expect(competenceGaps(input({ holdings: [holding('ada', 'risk', 0)] })).map((g) => g.personId)).toEqual(['ada', 'bob']);
  });

  it('a training-linked competence is met only by a valid completion of its course', () => {
    const gdpr = competence('gdpr', 'GDPR basics', { isms: 1 }, { kind: 'training', courseId: 'course-gdpr' });
    const base = input({ competences: [gdpr], holdings: [holding('ada', 'gdpr', 3), holding('bob', 'gdpr', 3)] });
    // A high assessed level does not replace the course.
    expect(competenceGaps(base).map((g) => [g.personId, g.label])).toEqual([
      ['ada', 'ISMS manager: GDPR basics (valid training) missing'],
      ['bob', 'ISMS manager: GDPR basics (valid training) missing'],
    ]);
    const validCourses = (pid: string) => new Set(pid === 'bob' ? ['course-gdpr'] : ['course-other']);
    expect(competenceGaps({ ...base, validCourses }).map((g) => g.personId)).toEqual(['ada']);
  });

  it('a training competence without a course is judged by the level held', () => {
    const t = competence('t', 'Secure coding course', { isms: 1 }, { kind: 'training' });
    expect(competenceGaps(input({ competences: [t], holdings: [holding('ada', 't', 1)] })).map((g) => g.personId)).toEqual(['bob']);
  });

  it('excludes archived roles, people who left, unknown people and archived competences', () => {
    expect(competenceGaps(input({ roles: [{ ...isms, archived: true }] }))).toEqual([]);
    expect(competenceGaps(input({ people: [person('ada', 'Ada', true), bob] })).map((g) => g.personId)).toEqual(['bob']);
    expect(competenceGaps(input({ people: [bob] })).map((g) => g.personId)).toEqual(['bob']);
    expect(competenceGaps(input({ competences: [{ ...risk, archived: true }] }))).toEqual([]);
  });

  it('reports one gap per role requiring the competence, and only for roles that require it', () => {
    const ceo = role('ceo', 'CEO', ['ada']);
    const other = role('other', 'Supplier manager', ['ada']);
    const shared = competence('risk', 'Risk assessment', { isms: 2, ceo: 1 });
    const gaps = competenceGaps(input({ roles: [isms, ceo, other], competences: [shared], holdings: [holding('ada', 'risk', 1), holding('bob', 'risk', 2)] }));
    // Ada holds level 1: enough for CEO (1), not for ISMS manager (2); Supplier manager requires nothing.
    expect(gaps.map((g) => g.label)).toEqual(['ISMS manager: Risk assessment (level 2) missing']);
  });
});

describe('matrix', () => {
  it('has a row per active holder and a cell per required competence', () => {
    const policy = competence('pol', 'Policy writing', { isms: 1 });
    const rows = roleMatrix(isms, input({ competences: [risk, policy], holdings: [holding('ada', 'risk', 2)] }));
    expect(rows.map((r) => [r.person.name, r.cells.map((c) => [c.competence.name, c.status.state]), r.gaps])).toEqual([
      ['Ada', [['Policy writing', 'missing'], ['Risk assessment', 'met']], 1],
      ['Bob', [['Policy writing', 'missing'], ['Risk assessment', 'missing']], 2],
    ]);
  });

  it('tells a level below from none at all', () => {
    expect(cellStatus(2, risk, holding('ada', 'risk', 1), new Set())).toMatchObject({ state: 'below', held: 1, required: 2, gap: true });
    expect(cellStatus(2, risk, undefined, new Set())).toMatchObject({ state: 'missing', held: 0, gap: true });
    expect(cellStatus(2, risk, holding('ada', 'risk', 3), new Set())).toMatchObject({ state: 'met', held: 3, gap: false });
  });
});

describe('stored shape', () => {
  it('reads required levels and drops the course unless it is training', () => {
    expect(competenceFromFields('c', { type: 'competence', name: 'Risk', kind: 'skill', courseId: 'x', 'require.isms': 2, 'require.ceo': 0, 'require.bad': 7 })).toEqual({
      id: 'c', name: 'Risk', kind: 'skill', courseId: '', required: { isms: 2 }, archived: false,
    });
    expect(competenceFromFields('c', { name: 'GDPR', kind: 'training', courseId: 'x' }).courseId).toBe('x');
    expect(holdingFromFields('h', { personId: 'p', competenceId: 'c', level: 5 }).level).toBe(0);
  });
});

describe('validation', () => {
  const roleIds = ['isms', 'ceo'];
  it('needs a name, a kind and a role', () => {
    const r = validateCompetence({ name: ' ', kind: '', courseId: '', required: {} }, [], roleIds);
    expect(r).toEqual({ ok: false, errors: { name: 'Enter the competence, e.g. Risk assessment.', kind: 'Choose the kind: skill, training, certification or experience.' } });
    expect(validateCompetence({ name: 'Risk', kind: 'skill', courseId: '', required: { isms: 0 } }, [], roleIds)).toEqual({
      ok: false, errors: { required: 'Choose at least one role that requires this competence, and the level.' },
    });
    expect(validateCompetence({ name: 'Risk', kind: 'skill', courseId: '', required: { gone: 2 } }, [], roleIds).ok).toBe(false);
    expect(validateCompetence({ name: 'Risk', kind: 'skill', courseId: '', required: { isms: 4 } }, [], roleIds)).toEqual({
      ok: false, errors: { 'required.isms': 'Choose a level: 1 basic, 2 working or 3 expert.', required: 'Choose a level: 1 basic, 2 working or 3 expert.' },
    });
  });
  it('refuses a duplicate name and keeps the course only for training', () => {
    expect(validateCompetence({ name: 'risk ASSESSMENT', kind: 'skill', courseId: '', required: { isms: 1 } }, [risk], roleIds).ok).toBe(false);
    expect(validateCompetence({ name: 'Risk assessment', kind: 'skill', courseId: '', required: { isms: 1 } }, [risk], roleIds, 'risk').ok).toBe(true);
    expect(validateCompetence({ name: 'ISO 27001 LI', kind: 'certification', courseId: 'c1', required: { isms: 3, ceo: 0 } }, [], roleIds)).toEqual({
      ok: true, value: { name: 'ISO 27001 LI', kind: 'certification', courseId: '', required: { isms: 3 } },
    });
  });
  it('needs an assessment date, not in the future, for a level held', () => {
    const h = { personId: 'ada', competenceId: 'risk', level: 2, evidence: 'Appraisal', assessedOn: '' };
    expect(validateHolding(h, TODAY)).toEqual({ ok: false, errors: { assessedOn: 'Enter the date the level was assessed.' } });
    expect(validateHolding({ ...h, assessedOn: '2026-12-01' }, TODAY)).toEqual({ ok: false, errors: { assessedOn: 'The assessment date cannot be in the future.' } });
    expect(validateHolding({ ...h, assessedOn: '25/11/2026' }, TODAY).ok).toBe(false);
    expect(validateHolding({ ...h, level: 4, assessedOn: TODAY }, TODAY).ok).toBe(false);
    expect(validateHolding({ ...h, assessedOn: TODAY }, TODAY)).toEqual({ ok: true, value: { ...h, assessedOn: TODAY } });
    expect(validateHolding({ ...h, level: 0 }, TODAY).ok).toBe(true);
  });
});
