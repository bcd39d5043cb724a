package dev.patrol.database;

import java.time.Duration;
import java.util.function.Supplier;

import org.aopalliance.intercept.MethodInvocation;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.aop.ProxyMethodInvocation;
import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryListener;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryState;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.core.retry.Retryable;

/**
 * The one retry policy for database work (see {@link DatabaseFailures#worthRetrying}): a transaction that failed
 * before its commit because its connection broke or it lost a conflict with another transaction runs again as a
 * whole, on a fresh connection (the pool drops broken ones), at most {@value #MAX_RETRIES} more times with growing
 * pauses. {@link TransactionConfig} applies it where every {@code @Transactional} method starts its transaction;
 * code that runs a {@code TransactionTemplate} itself wraps it in {@link #run}.
 */
public class TransactionRetry {

    static final int MAX_RETRIES = 3;
    private static final Logger log = LoggerFactory.getLogger(TransactionRetry.class);

    private final RetryTemplate template;

    /** {@code afterConnectionLost} makes sure the next attempt gets a fresh connection, not another dead one. */
    TransactionRetry(Runnable afterConnectionLost) {
        RetryPolicy policy = RetryPolicy.builder()
                .maxRetries(MAX_RETRIES)
                .delay(Duration.ofMillis(20))
                .jitter(Duration.ofMillis(10))
                .multiplier(4)
                .maxDelay(Duration.ofMillis(500))
                .predicate(DatabaseFailures::worthRetrying)
                .build();
        this.template = new RetryTemplate(policy);
        template.setRetryListener(new RetryListener() {
            @Override
            public void beforeRetry(RetryPolicy retryPolicy, Retryable<?> retryable, RetryState state) {
                if (DatabaseFailures.connectionLost(state.getLastException())) {
                    afterConnectionLost.run();
                }
                log.info("{} failed before its commit ({}); running it again (retry {} of {})", retryable.getName(),
                        DatabaseFailures.describe(state.getLastException()), state.getRetryCount(), MAX_RETRIES);
            }
        });
    }

    /** Runs one transaction (a {@code TransactionTemplate} call), again as the policy allows. */
    public <T> T run(Supplier<T> transaction) {
        return template.invoke(transaction);
    }

    Object proceed(ProxyMethodInvocation invocation) throws Throwable {
        try {
            return template.execute(new Retryable<>() {
                @Override
                public Object execute() throws Throwable {
                    return invocation.invocableClone().proceed();
                }

                @Override
                public String getName() {
                    return name(invocation);
                }
            });
        } catch (RetryException e) {
            throw e.getCause();
        }
    }

    private static String name(MethodInvocation invocation) {
        return invocation.getMethod().getDeclaringClass().getSimpleName() + "." + invocation.getMethod().getName();
    }
}
