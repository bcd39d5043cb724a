package dev.patrol.auth;

import java.io.IOException;

/**
 * One check of a {@link Door}, with one job: it lets the request on, noting what it learned in the {@link Passage},
 * or writes its refusal through {@link Passage#refuse}. A door runs its steps in order and stops at the first refusal.
 */
interface Step {

    /** True to let the request on; false once the refusal has been written. */
    boolean pass(Passage passage) throws IOException;
}
