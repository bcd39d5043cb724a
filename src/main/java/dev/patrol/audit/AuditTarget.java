package dev.patrol.audit;

/**
 * What an audit event is about.
 *
 * @param type    the model name, e.g. PersonalAccessToken, User, Group
 * @param groupId the top-level group the target belongs to, so group owners can read their events
 */
public record AuditTarget(String type, Long id, String name, Long groupId) {
}
