package dev.patrol.auth;

import java.io.IOException;
import java.util.Optional;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.patrol.database.DatabaseOutages;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * A way in: runs its {@link Step}s in order and hands the request on once all of them let it pass. Whatever
 * happens, the request is one line in the request log ({@link ApiRequestLog}), written when the response is
 * complete; while the database cannot be used, the answer is 503 {@code database_unavailable} with
 * {@code Retry-After}, whether a step or the handler found out. A door says which requests are its own
 * ({@link #shouldNotFilter}), its steps, and how its refusals are written.
 */
abstract class Door extends OncePerRequestFilter {

    /** How long a client should wait before trying again while the database cannot be used. */
    static final String RETRY_AFTER_SECONDS = "5";

    private final ApiRequestLog requestLog;
    private final DatabaseOutages outages;
    private final RefusalFormat refusals;
    private final Step[] steps;

    Door(ApiRequestLog requestLog, DatabaseOutages outages, RefusalFormat refusals, Step... steps) {
        this.requestLog = requestLog;
        this.outages = outages;
        this.refusals = refusals;
        this.steps = steps;
    }

    @Override
    protected final void doFilterInternal(HttpServletRequest request, HttpServletResponse response,
            FilterChain chain) throws ServletException, IOException {
        Passage passage = new Passage(request, response, refusals);
        try {
            if (passes(passage)) {
                chain.doFilter(passage.forwarded(), response);
            }
        } catch (RuntimeException | ServletException e) {
            Optional<String> outage = outages.messageFor(e);
            if (outage.isEmpty() || response.isCommitted()) {
                throw e;
            }
            response.reset();
            response.setHeader(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS);
            passage.refuse(HttpStatus.SERVICE_UNAVAILABLE, "database_unavailable", outage.get());
        } finally {
            if (request.isAsyncStarted()) {
                request.getAsyncContext().addListener(new LogOnCompletion(passage, response));
            } else {
                requestLog.write(passage, response.getStatus());
            }
        }
    }

    private boolean passes(Passage passage) throws IOException {
        for (Step step : steps) {
            if (!step.pass(passage)) {
                return false;
            }
        }
        return true;
    }

    private final class LogOnCompletion implements AsyncListener {

        private final ApiRequestLog.Entry entry;
        private final HttpServletResponse response;

        LogOnCompletion(ApiRequestLog.Entry entry, HttpServletResponse response) {
            this.entry = entry;
            this.response = response;
        }

        @Override
        public void onComplete(AsyncEvent event) {
            requestLog.write(entry, response.getStatus());
        }

        @Override
        public void onTimeout(AsyncEvent event) {
        }

        @Override
        public void onError(AsyncEvent event) {
        }

        @Override
        public void onStartAsync(AsyncEvent event) {
        }
    }
}
