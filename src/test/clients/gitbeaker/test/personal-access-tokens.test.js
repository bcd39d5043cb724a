// Personal access tokens through gitbeaker: create, list with GitLab's filters and pagination, show, rotate,
// self-rotate, revoke, self-revoke, reuse detection, scopes, sudo and bad input.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { client, root, rootToken, createUser, inDays, statusOf } from './patrol.js';

describe('personal access tokens', () => {
  let alice;
  let laptop;
  let ci;

  before(async () => {
    alice = await createUser('alice');
  });

  test('GET /user and GET /users/:id (Users.showCurrentUser, Users.show)', async () => {
    const me = await root.Users.showCurrentUser();
    assert.equal(me.username, 'root');
    assert.equal(me.is_admin, true);
    const user = await root.Users.show(alice.id);
    assert.equal(user.username, alice.username);
    assert.equal(user.state, 'active');
  });

  test('POST /users/:id/personal_access_tokens (Users.createPersonalAccessToken, PersonalAccessTokens.create)', async () => {
    laptop = await root.Users.createPersonalAccessToken(alice.id, 'laptop', ['api'], { expiresAt: inDays(30) });
    assert.match(laptop.token, /^glpat-/);
    assert.deepEqual(laptop.scopes, ['api']);
    assert.equal(laptop.user_id, alice.id);
    assert.equal(laptop.active, true);
    assert.equal(laptop.revoked, false);
    assert.equal(laptop.expires_at, inDays(30));
    ci = await root.PersonalAccessTokens.create(alice.id, 'ci-bot', ['read_api', 'read_user']);
    assert.match(ci.token, /^glpat-/);
  });

  test('GET /personal_access_tokens/self (PersonalAccessTokens.show)', async () => {
    const self = await client(laptop.token).PersonalAccessTokens.show();
    assert.equal(self.id, laptop.id);
    assert.equal(self.name, 'laptop');
    assert.equal(self.token, undefined);
  });

  test('GET /personal_access_tokens with filters (PersonalAccessTokens.all)', async () => {
    const mine = await root.PersonalAccessTokens.all({ userId: alice.id });
    assert.deepEqual(mine.map((t) => t.name).sort(), ['ci-bot', 'laptop']);
    assert.ok(mine.every((t) => t.token === undefined), 'lists never carry the secret');
    const searched = await root.PersonalAccessTokens.all({ userId: alice.id, search: 'lap' });
    assert.deepEqual(searched.map((t) => t.id), [laptop.id]);
    const byName = await root.PersonalAccessTokens.all({ userId: alice.id, sort: 'name_asc', state: 'active', revoked: false });
    assert.deepEqual(byName.map((t) => t.name), ['ci-bot', 'laptop']);
    const expiringSoon = await root.PersonalAccessTokens.all({ userId: alice.id, expiresBefore: inDays(60) });
    assert.deepEqual(expiringSoon.map((t) => t.id), [laptop.id]);
    const createdLater = await root.PersonalAccessTokens.all({ userId: alice.id, createdAfter: '2999-01-01T00:00:00Z' });
    assert.deepEqual(createdLater, []);
    const own = await client(laptop.token).PersonalAccessTokens.all();
    assert.deepEqual(own.map((t) => t.name).sort(), ['ci-bot', 'laptop']);
  });

  test('pagination: X-* headers, and the Link header followed by keyset (PersonalAccessTokens.all)', async () => {
    const bob = await createUser('bob');
    for (let i = 0; i < 5; i++) {
      await root.PersonalAccessTokens.create(bob.id, `t${i}`, ['read_api']);
    }
    const { data, paginationInfo } = await root.PersonalAccessTokens.all({
      userId: bob.id, perPage: 2, page: 1, showExpanded: true, sort: 'name_asc',
    });
    assert.deepEqual(data.map((t) => t.name), ['t0', 't1']);
    assert.equal(paginationInfo.total, 5);
    assert.equal(paginationInfo.totalPages, 3);
    assert.equal(paginationInfo.next, 2);
    assert.equal(paginationInfo.perPage, 2);
    const everything = await root.PersonalAccessTokens.all({ userId: bob.id, perPage: 2, sort: 'name_asc' });
    assert.deepEqual(everything.map((t) => t.name), ['t0', 't1', 't2', 't3', 't4']);
    const keyset = await root.PersonalAccessTokens.all({ userId: bob.id, perPage: 2, pagination: 'keyset', sort: 'name_desc' });
    assert.deepEqual(keyset.map((t) => t.name), ['t4', 't3', 't2', 't1', 't0']);
    const third = await root.PersonalAccessTokens.all({ userId: bob.id, perPage: 2, page: 3, sort: 'name_asc' });
    assert.deepEqual(third.map((t) => t.name), ['t4']);
  });

  test('GET /personal_access_tokens/:id (PersonalAccessTokens.show)', async () => {
    const shown = await root.PersonalAccessTokens.show({ tokenId: ci.id });
    assert.equal(shown.name, 'ci-bot');
    assert.deepEqual(shown.scopes.sort(), ['read_api', 'read_user']);
    assert.equal((await statusOf(client(ci.token).PersonalAccessTokens.show({ tokenId: 999999999 }))).status, 404);
  });

  test('POST /personal_access_tokens/:id/rotate (PersonalAccessTokens.rotate)', async () => {
    const rotated = await root.PersonalAccessTokens.rotate(ci.id, { expiresAt: inDays(7) });
    assert.match(rotated.token, /^glpat-/);
    assert.notEqual(rotated.id, ci.id);
    assert.equal(rotated.name, 'ci-bot');
    assert.equal(rotated.expires_at, inDays(7));
    const old = await root.PersonalAccessTokens.show({ tokenId: ci.id });
    assert.equal(old.revoked, true);
    assert.equal(old.active, false);
    assert.equal((await statusOf(client(ci.token).Users.showCurrentUser())).status, 401);
    ci = rotated;
  });

  test('POST /personal_access_tokens/self/rotate with self_rotate (PersonalAccessTokens.rotate("self"))', async () => {
    const robot = await root.Users.createPersonalAccessToken(alice.id, 'robot', ['read_api', 'self_rotate']);
    const next = await client(robot.token).PersonalAccessTokens.rotate('self');
    assert.match(next.token, /^glpat-/);
    assert.deepEqual(next.scopes.sort(), ['read_api', 'self_rotate']);
    const status = await statusOf(client(next.token).PersonalAccessTokens.rotate(laptop.id));
    assert.equal(status.status, 403, 'self_rotate rotates only the token itself');
  });

  test('reuse detection: a revoked value on /personal_access_tokens/self/rotate revokes its family', async () => {
    const leaked = await root.Users.createPersonalAccessToken(alice.id, 'leaky', ['api']);
    const successor = await client(leaked.token).PersonalAccessTokens.rotate('self');
    // Within 5 s of a rotation a second one is a race between two holders of the token, not reuse (README).
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const refused = await statusOf(client(leaked.token).PersonalAccessTokens.rotate('self'));
    assert.equal(refused.status, 401);
    const after = await root.PersonalAccessTokens.show({ tokenId: successor.id });
    assert.equal(after.revoked, true, 'the successor of the leaked token is revoked');
    assert.equal((await statusOf(client(successor.token).Users.showCurrentUser())).status, 401);
  });

  test('reuse detection: rotating an already revoked id (PersonalAccessTokens.rotate) revokes its family', async () => {
    const first = await root.Users.createPersonalAccessToken(alice.id, 'family', ['api']);
    const second = await root.PersonalAccessTokens.rotate(first.id);
    await new Promise((resolve) => setTimeout(resolve, 6000));
    const refused = await statusOf(root.PersonalAccessTokens.rotate(first.id));
    assert.equal(refused.status, 400);
    assert.match(refused.description, /reuse/);
    assert.equal((await root.PersonalAccessTokens.show({ tokenId: second.id })).revoked, true);
  });

  test('scopes: read_user reads /user, read_api cannot write, any token revokes itself', async () => {
    const readUser = await root.Users.createPersonalAccessToken(alice.id, 'profile', ['read_user']);
    assert.equal((await client(readUser.token).Users.showCurrentUser()).username, alice.username);
    assert.equal((await statusOf(client(readUser.token).PersonalAccessTokens.all())).status, 403);
    const readApi = await root.Users.createPersonalAccessToken(alice.id, 'reader', ['read_api']);
    assert.equal((await statusOf(client(readApi.token).PersonalAccessTokens.remove({ tokenId: laptop.id }))).status, 403);
    await client(readUser.token).PersonalAccessTokens.remove();
    assert.equal((await statusOf(client(readUser.token).Users.showCurrentUser())).status, 401);
  });

  test('POST /user/personal_access_tokens allows only k8s_proxy (Users.createPersonalAccessToken is admin-only)', async () => {
    const alicesClient = client(laptop.token);
    const k8s = await alicesClient.requester.post('user/personal_access_tokens', {
      body: { name: 'agent', scopes: ['k8s_proxy'] },
    });
    assert.equal(k8s.status, 201);
    assert.deepEqual(k8s.body.scopes, ['k8s_proxy']);
    assert.equal((await statusOf(alicesClient.requester.post('user/personal_access_tokens', {
      body: { name: 'wider', scopes: ['api'] },
    }))).status, 400);
    assert.equal((await statusOf(alicesClient.Users.createPersonalAccessToken(alice.id, 'x', ['api']))).status, 403);
  });

  test('sudo: an administrator token with sudo acts as the user (Gitlab({ sudo }))', async () => {
    const asAlice = client(rootToken, { sudo: alice.username });
    const me = await asAlice.Users.showCurrentUser();
    assert.equal(me.username, alice.username);
    const tokens = await asAlice.PersonalAccessTokens.all();
    assert.ok(tokens.every((t) => t.user_id === alice.id));
    assert.equal((await statusOf(client(laptop.token, { sudo: 'root' }).Users.showCurrentUser())).status, 403);
  });

  test('DELETE /personal_access_tokens/:id and /self (PersonalAccessTokens.remove)', async () => {
    await root.PersonalAccessTokens.remove({ tokenId: ci.id });
    assert.equal((await root.PersonalAccessTokens.show({ tokenId: ci.id })).revoked, true);
    assert.equal((await statusOf(root.PersonalAccessTokens.remove({ tokenId: ci.id }))).status, 400);
    await client(laptop.token).PersonalAccessTokens.remove();
    assert.equal((await statusOf(client(laptop.token).PersonalAccessTokens.show())).status, 401);
  });

  test('bad input: GitLab statuses and a JSON message, nothing created', async () => {
    const before = (await root.PersonalAccessTokens.all({ userId: alice.id })).length;
    assert.equal((await statusOf(root.PersonalAccessTokens.show({ tokenId: 'abc' }))).status, 400);
    const noScopes = await statusOf(root.requester.post(`users/${alice.id}/personal_access_tokens`, { body: { name: 'x' } }));
    assert.equal(noScopes.status, 400);
    assert.match(noScopes.description, /scopes is missing/);
    assert.equal((await statusOf(root.PersonalAccessTokens.create(alice.id, 'bad', ['root']))).status, 400);
    assert.equal((await statusOf(root.PersonalAccessTokens.create(alice.id, 'bad', ['api'], { expiresAt: '2027-02-30' }))).status, 400);
    assert.equal((await statusOf(root.PersonalAccessTokens.create(999999999, 'x', ['api']))).status, 404);
    assert.equal((await statusOf(root.PersonalAccessTokens.all({ sort: 'sideways' }))).status, 400);
    assert.equal((await statusOf(root.requester.get('no_such_endpoint'))).status, 404);
    assert.equal((await root.PersonalAccessTokens.all({ userId: alice.id })).length, before);
  });
});
