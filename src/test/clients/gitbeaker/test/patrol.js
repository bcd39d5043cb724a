// What every test file needs: Patrol's address, the root token, gitbeaker clients, and GraphQL for what
// the REST subset does not cover (users, groups, projects).
import { Gitlab } from '@gitbeaker/rest';

export const host = process.env.PATROL_URL;
export const rootToken = process.env.PATROL_ROOT_TOKEN;
if (!host || !rootToken) {
  throw new Error('Set PATROL_URL and PATROL_ROOT_TOKEN (.ci/rest-clients.sh does)');
}

export const client = (token, options = {}) => new Gitlab({ host, token, ...options });
export const root = client(rootToken);

let seq = 0;
export const unique = (base) => `${base}-${process.pid}-${Date.now() % 100000}-${++seq}`;

export async function gql(query, variables = {}) {
  const response = await fetch(`${host}/graphql`, {
    method: 'POST',
    headers: { 'PRIVATE-TOKEN': rootToken, 'Content-Type': 'application/json' },
    body: JSON.stringify({ query, variables }),
  });
  const body = await response.json();
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return body.data;
}

const idOf = (gid) => Number(gid.split('/').pop());

export async function createUser(base = 'user') {
  const username = unique(base);
  const data = await gql(`mutation($u: String!, $e: String!) {
    userCreate(input: {username: $u, name: $u, email: $e}) { user { id username } errors } }`,
  { u: username, e: `${username}@example.com` });
  return { id: idOf(data.userCreate.user.id), username };
}

export async function createGroup() {
  const path = unique('acme');
  const data = await gql(`mutation($p: String!) { groupCreate(input: {path: $p}) { group { id fullPath } errors } }`,
    { p: path });
  return { id: idOf(data.groupCreate.group.id), fullPath: data.groupCreate.group.fullPath };
}

export async function createProject(group) {
  const data = await gql(`mutation($g: String!) {
    projectCreate(input: {groupPath: $g, path: "api"}) { project { id fullPath } errors } }`, { g: group.fullPath });
  return { id: idOf(data.projectCreate.project.id), fullPath: data.projectCreate.project.fullPath };
}

export function inDays(days) {
  const date = new Date(Date.now() + days * 86400000);
  return date.toISOString().slice(0, 10);
}

/** The HTTP status of a gitbeaker call that must fail. */
export async function statusOf(promise) {
  try {
    await promise;
  } catch (error) {
    if (error.cause?.response) return { status: error.cause.response.status, description: error.cause.description };
    throw error;
  }
  throw new Error('the call succeeded');
}
