package dev.patrol.rest;

/** Numeric ids in paths and parameters: a positive whole number, else a 400 naming the parameter. */
final class Ids {

    private Ids() {
    }

    static long parse(String value, String parameter) {
        try {
            long id = Long.parseLong(value);
            if (id > 0) {
                return id;
            }
        } catch (NumberFormatException notANumber) {
            // refused below
        }
        throw RestError.invalid(parameter);
    }

    static boolean isNumeric(String value) {
        return !value.isEmpty() && value.length() <= 18 && value.chars().allMatch(Character::isDigit);
    }
}
