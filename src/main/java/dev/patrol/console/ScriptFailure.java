package dev.patrol.console;

/** A script stopped on purpose (bad argument, nothing to do): its message is all the operator needs. */
public class ScriptFailure extends RuntimeException {

    public ScriptFailure(String message) {
        super(message);
    }
}
