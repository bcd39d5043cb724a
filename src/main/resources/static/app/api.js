// Runs the GraphQL documents kept as .graphql files next to the components that use them.
import { token } from './session.js';

const documents = new Map();

export class ApiError extends Error {
  constructor(message, code, status) {
    super(message);
    this.code = code;
    this.status = status;
  }
}

function documentText(url) {
  const key = String(url);
  if (!documents.has(key)) {
    documents.set(key, fetch(key).then((r) => {
      if (!r.ok) throw new ApiError(`Could not load ${key} (${r.status}).`, 'CLIENT', r.status);
      return r.text();
    }));
  }
  return documents.get(key);
}

/**
 * Posts the document at url with these variables, authenticated with the session's token (or the one given, when
 * signing in). Returns data; throws ApiError with the API's own message for a refusal (401/403 from the door) or
 * the first GraphQL error (its extensions.code as code).
 */
export async function gql(url, variables = {}, presented = token()) {
  const query = await documentText(url);
  let response;
  try {
    response = await fetch('/graphql', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: `Bearer ${presented}` },
      body: JSON.stringify({ query, variables }),
    });
  } catch (e) {
    throw new ApiError('Patrol could not be reached; check your connection and try again.', 'NETWORK', 0);
  }
  const body = await response.json().catch(() => null);
  if (!response.ok && !(body && body.data)) {
    const error = new ApiError(body?.message ?? body?.errors?.[0]?.message ?? `Patrol answered ${response.status}.`,
      body?.error ?? body?.errors?.[0]?.extensions?.code, response.status);
    if (response.status === 401 && presented === token()) {
      window.dispatchEvent(new CustomEvent('patrol:signed-out', { detail: error.message }));
    }
    throw error;
  }
  if (body.errors && body.errors.length) {
    const first = body.errors[0];
    throw new ApiError(first.message, first.extensions?.code, response.status);
  }
  return body.data;
}

/** A payload's errors (input the user can fix) as one ApiError, or the payload itself. */
export function payload(result) {
  if (result.errors && result.errors.length) {
    throw new ApiError(result.errors.join(' '), 'BAD_USER_INPUT', 200);
  }
  return result;
}
