package dev.patrol;

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;

/** A server's start-up report for a {@link CannotStart} reason: its line, without a stack trace. */
public class CannotStartFailureAnalyzer implements FailureAnalyzer {

    @Override
    public FailureAnalysis analyze(Throwable failure) {
        return CannotStart.reasonOf(failure)
                .map(reason -> new FailureAnalysis(reason, "See README.md, section Configuration.", failure))
                .orElse(null);
    }
}
