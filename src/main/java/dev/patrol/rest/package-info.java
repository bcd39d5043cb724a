/**
 * GitLab's REST API for tokens ({@code /api/v4}, a subset that GitLab's clients can use unchanged): users, personal
 * access tokens, impersonation tokens, project and group access tokens, and deploy tokens, with GitLab's JSON shapes,
 * status codes, {@code {"message": ...}} errors and pagination headers. A door into the same services as GraphQL:
 * every rule, permission and audit event lives in the token and owner modules; authentication, scopes, sudo, the ban
 * and the request log are the auth module's {@code RestApiFilter}.
 */
package dev.patrol.rest;
