package dev.patrol.shared;



/** GitLab-style global IDs: {@code gid://patrol/PersonalAccessToken/12}. */
public record GlobalId(String type, long id) {

    private static final String PREFIX = "gid://patrol/";

    public static String of(String type, long id) {
        return PREFIX + type + "/" + id;
    }

    public static GlobalId parse(String value) {
        if (value != null && value.startsWith(PREFIX)) {
            String rest = value.substring(PREFIX.length());
            int slash = rest.indexOf('/');
            if (slash > 0) {
                try {
                    return new GlobalId(rest.substring(0, slash), Long.parseLong(rest.substring(slash + 1)));
                } catch (NumberFormatException ignored) {
                    // falls through to the error below
                }
            }
        }
        throw PatrolException.badInput("'" + value + "' is not a valid global ID (gid://patrol/<Type>/<id>).");
    }

    /** Parses and checks that the ID is of one of the expected model types. */
    public static long parse(String value, String... expectedTypes) {
        GlobalId gid = parse(value);
        for (String type : expectedTypes) {
            if (type.equals(gid.type())) {
                return gid.id();
            }
        }
        throw PatrolException.badInput("'" + value + "' is not the ID of a " + String.join(" or ", expectedTypes) + ".");
    }
}
