package dev.patrol.shared;



/**
 * Who is making a change, and through which door. Every service method that changes state takes one,
 * checks its permissions against it and writes it into the audit event.
 *
 * @param userId   the acting user, or null for the system itself (scheduled jobs)
 * @param username the acting user's name, or "system"
 * @param admin    whether the acting user is an administrator
 * @param source   api, console or system
 * @param ip       the client address for API calls, else null
 */
public record Actor(Long userId, String username, boolean admin, Source source, String ip) {

    public static Actor system() {
        return new Actor(null, "system", true, Source.SYSTEM, null);
    }

    public boolean isUser(long id) {
        return userId != null && userId == id;
    }
}
