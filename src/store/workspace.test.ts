import { describe, expect, it } from 'vitest';
import { joinLink, parseJoinFragment, validateNames } from './workspace';

const ws = { id: 'AbCdEfGhIjKlMnOpQrStUv', secret: 'a'.repeat(43), orgName: 'Acme & Co' };

describe('join links', () => {
  it('carry id, secret and name in the fragment only', () => {
    const link = joinLink('https://muster.example', ws);
    const url = new URL(link);
    expect(url.pathname).toBe('/');
    expect(url.search).toBe('');
    expect(url.hash).toContain(ws.secret);
    expect(parseJoinFragment(url.hash)).toEqual({ workspaceId: ws.id, secret: ws.secret, orgName: 'Acme & Co' });
  });
  it('carry the content key (`c=`) in the fragment, never in what a server sees', () => {
    const sealed = { ...ws, contentKey: 'b'.repeat(43) };
    const url = new URL(joinLink('https://muster.example', sealed));
    expect(url.search).toBe('');
    expect(url.hash).toBe(`#join?w=${ws.id}&k=${ws.secret}&org=Acme+%26+Co&c=${'b'.repeat(43)}`);
    expect(parseJoinFragment(url.hash)).toEqual({ workspaceId: ws.id, secret: ws.secret, contentKeys: ['b'.repeat(43)], orgName: 'Acme & Co' });
    // After rotations: every key, newest first.
    const rotated = new URL(joinLink('https://muster.example', { ...sealed, pastContentKeys: ['c'.repeat(43), 'd'.repeat(43)] }));
    expect(parseJoinFragment(rotated.hash)).toMatchObject({ contentKeys: ['b'.repeat(43), 'c'.repeat(43), 'd'.repeat(43)] });
    // Cut short, it is refused rather than taken as a link without a key.
    expect(parseJoinFragment(url.hash.slice(0, -5))).toEqual({ error: 'This join link is incomplete or damaged. Ask for a new link and open it whole.' });
  });
  it('reject damaged links with a clear message', () => {
    const damaged = parseJoinFragment(`#join?w=${ws.id}&k=${ws.secret.slice(0, 20)}`);
    expect(damaged).toEqual({ error: 'This join link is incomplete or damaged. Ask for a new link and open it whole.' });
    expect(parseJoinFragment('#/checklists')).toBeUndefined();
  });
  it('validate names', () => {
    expect(validateNames('', ' ')).toEqual({ orgName: 'Enter your organisation’s name.', memberName: 'Enter your name: it goes on your sign-offs.' });
    expect(validateNames('Acme', 'Mia')).toEqual({});
  });
});

describe('invite links', () => {
  it('carry the invite id and the invited name after the secret, still in the fragment only', () => {
    const link = joinLink('https://muster.example', ws, { id: 'Inv1te0123456789', name: 'Sam Staff' });
    const url = new URL(link);
    expect(url.search).toBe('');
    expect(url.hash).toBe(`#join?w=${ws.id}&k=${ws.secret}&org=Acme+%26+Co&i=Inv1te0123456789&n=Sam+Staff`);
    expect(parseJoinFragment(url.hash)).toEqual({ workspaceId: ws.id, secret: ws.secret, orgName: 'Acme & Co', inviteId: 'Inv1te0123456789', memberName: 'Sam Staff' });
  });
  it('refuse a damaged invite id', () => {
    expect(parseJoinFragment(`#join?w=${ws.id}&k=${ws.secret}&i=x!`)).toEqual({ error: 'This invite link is incomplete or damaged. Ask for a new link and open it whole.' });
  });
  it('carry the signed invite entry (e=) with the invite, and refuse it damaged or without an invite', () => {
    const entry = 'ab'.repeat(32);
    const link = joinLink('https://muster.example', ws, { id: 'Inv1te0123456789', name: 'Sam Staff', entry });
    expect(new URL(link).hash).toContain(`&e=${entry}`);
    expect(parseJoinFragment(new URL(link).hash)).toMatchObject({ inviteId: 'Inv1te0123456789', inviteEntry: entry });
    const damaged = { error: 'This invite link is incomplete or damaged. Ask for a new link and open it whole.' };
    expect(parseJoinFragment(`#join?w=${ws.id}&k=${ws.secret}&i=Inv1te0123456789&e=${entry.slice(2)}`)).toEqual(damaged);
    expect(parseJoinFragment(`#join?w=${ws.id}&k=${ws.secret}&i=Inv1te0123456789&e=${entry.toUpperCase()}`)).toEqual(damaged);
    expect(parseJoinFragment(`#join?w=${ws.id}&k=${ws.secret}&e=${entry}`)).toEqual(damaged);
  });
});
