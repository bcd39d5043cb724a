// Project, group, deploy and impersonation tokens through gitbeaker, with :id as a number or an encoded path.
import { test, describe, before } from 'node:test';
import assert from 'node:assert/strict';
import { client, root, createUser, createGroup, createProject, inDays, statusOf } from './patrol.js';

describe('project and group access tokens', () => {
  let group;
  let project;

  before(async () => {
    group = await createGroup();
    project = await createProject(group);
  });

  test('/projects/:id/access_tokens by path: create, list, show, rotate, revoke (ProjectAccessTokens)', async () => {
    // gitbeaker sends the path URL-encoded: /projects/acme-...%2Fapi/access_tokens
    const created = await root.ProjectAccessTokens.create(project.fullPath, 'deployer', ['read_api'], inDays(20),
      { accessLevel: 30 });
    assert.match(created.token, /^glpat-/);
    assert.equal(created.access_level, 30);
    assert.equal(created.resource_type, 'project');
    assert.equal(created.resource_id, project.id);
    const listed = await root.ProjectAccessTokens.all(project.id);
    assert.deepEqual(listed.map((t) => t.id), [created.id]);
    assert.equal(listed[0].token, undefined);
    const shown = await root.ProjectAccessTokens.show(project.fullPath, created.id);
    assert.equal(shown.name, 'deployer');
    const rotated = await root.ProjectAccessTokens.rotate(project.id, created.id, { expiresAt: inDays(5) });
    assert.match(rotated.token, /^glpat-/);
    assert.equal(rotated.access_level, 30);
    const bot = await client(rotated.token).Users.showCurrentUser();
    assert.equal(bot.bot, true);
    const active = await root.ProjectAccessTokens.all(project.fullPath, { state: 'active' });
    assert.deepEqual(active.map((t) => t.id), [rotated.id]);
    await root.ProjectAccessTokens.revoke(project.fullPath, rotated.id);
    assert.equal((await root.ProjectAccessTokens.show(project.id, rotated.id)).revoked, true);
  });

  test('/groups/:id/access_tokens: create, list, show, rotate, revoke (GroupAccessTokens)', async () => {
    const created = await root.GroupAccessTokens.create(group.fullPath, 'group-bot', ['api'], inDays(20));
    assert.equal(created.access_level, 40, 'Maintainer by default');
    assert.equal(created.resource_type, 'group');
    const listed = await root.GroupAccessTokens.all(group.id);
    assert.deepEqual(listed.map((t) => t.id), [created.id]);
    assert.equal((await root.GroupAccessTokens.show(group.id, created.id)).name, 'group-bot');
    const rotated = await root.GroupAccessTokens.rotate(group.fullPath, created.id);
    assert.notEqual(rotated.id, created.id);
    await root.GroupAccessTokens.revoke(group.id, rotated.id);
    assert.equal((await root.GroupAccessTokens.show(group.id, rotated.id)).revoked, true);
  });

  test('a member without the role cannot see or create them', async () => {
    const dev = await createUser('dev');
    const devToken = await root.Users.createPersonalAccessToken(dev.id, 'dev', ['api']);
    assert.equal((await statusOf(client(devToken.token).ProjectAccessTokens.create(project.id, 'x', ['api'], inDays(3)))).status, 403);
    assert.deepEqual(await client(devToken.token).ProjectAccessTokens.all(project.id), []);
  });

  test('bad input: a path that is not a project, a malformed token id, no name', async () => {
    assert.equal((await statusOf(root.ProjectAccessTokens.all('no/such-project'))).status, 404);
    assert.equal((await statusOf(root.ProjectAccessTokens.all(group.fullPath))).status, 404, 'a group is not a project');
    assert.equal((await statusOf(root.ProjectAccessTokens.show(project.id, 'x1'))).status, 400);
    const noName = await statusOf(root.ProjectAccessTokens.create(project.id, undefined, ['api'], inDays(3)));
    assert.equal(noName.status, 400);
    assert.match(noName.description, /name is missing/);
    assert.equal((await statusOf(root.ProjectAccessTokens.create(project.id, 'x', ['api'], inDays(3), { accessLevel: 99 }))).status, 400);
  });
});

describe('deploy tokens', () => {
  let group;
  let project;

  before(async () => {
    group = await createGroup();
    project = await createProject(group);
  });

  test('project deploy tokens: create, list, show, delete (DeployTokens)', async () => {
    const created = await root.DeployTokens.create('registry', ['read_repository', 'read_registry'],
      { projectId: project.fullPath, expiresAt: `${inDays(10)}T00:00:00.000Z` });
    assert.match(created.token, /^gldt-/);
    assert.equal(created.username, `gitlab+deploy-token-${created.id}`);
    assert.equal(created.expires_at, `${inDays(10)}T00:00:00.000Z`);
    const named = await root.DeployTokens.create('pusher', ['write_registry'], { projectId: project.id, username: 'pusher-bot' });
    assert.equal(named.username, 'pusher-bot');
    const listed = await root.DeployTokens.all({ projectId: project.id });
    assert.deepEqual(listed.map((t) => t.name).sort(), ['pusher', 'registry']);
    assert.ok(listed.every((t) => t.token === undefined));
    const shown = await root.DeployTokens.show(created.id, { projectId: project.fullPath });
    assert.deepEqual(shown.scopes.sort(), ['read_registry', 'read_repository']);
    await root.DeployTokens.remove(created.id, { projectId: project.id });
    assert.equal((await root.DeployTokens.show(created.id, { projectId: project.id })).revoked, true);
    const active = await root.DeployTokens.all({ projectId: project.id, active: true });
    assert.deepEqual(active.map((t) => t.name), ['pusher']);
    assert.equal((await statusOf(client(named.token).Users.showCurrentUser())).status, 403, 'no API access');
  });

  test('group deploy tokens and the administrators\' /deploy_tokens (DeployTokens.all)', async () => {
    const created = await root.DeployTokens.create('group-pull', ['read_package_registry'], { groupId: group.fullPath });
    assert.deepEqual((await root.DeployTokens.all({ groupId: group.id })).map((t) => t.id), [created.id]);
    assert.equal((await root.DeployTokens.show(created.id, { groupId: group.id })).name, 'group-pull');
    const all = await root.DeployTokens.all({ perPage: 100, maxPages: 1 });
    assert.ok(all.some((t) => t.id === created.id));
    await root.DeployTokens.remove(created.id, { groupId: group.fullPath });
    assert.equal((await statusOf(root.DeployTokens.create('bad', ['api'], { projectId: project.id }))).status, 400);
  });
});

describe('impersonation tokens', () => {
  test('create, list, show, revoke (UserImpersonationTokens)', async () => {
    const carol = await createUser('carol');
    const created = await root.UserImpersonationTokens.create(carol.id, 'support', ['read_api'], { expiresAt: inDays(2) });
    assert.match(created.token, /^glpat-/);
    assert.equal(created.impersonation, true);
    assert.equal((await client(created.token).Users.showCurrentUser()).username, carol.username);
    const listed = await root.UserImpersonationTokens.all(carol.id);
    assert.deepEqual(listed.map((t) => t.id), [created.id]);
    assert.equal((await root.UserImpersonationTokens.show(carol.id, created.id)).name, 'support');
    await root.UserImpersonationTokens.remove(carol.id, created.id);
    assert.deepEqual(await root.UserImpersonationTokens.all(carol.id, { state: 'active' }), []);
    const carolsOwn = await root.Users.createPersonalAccessToken(carol.id, 'own', ['api']);
    assert.equal((await statusOf(client(carolsOwn.token).UserImpersonationTokens.all(carol.id))).status, 403);
  });
});
