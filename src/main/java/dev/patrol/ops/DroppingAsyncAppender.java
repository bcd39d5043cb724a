package dev.patrol.ops;

import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantLock;

import ch.qos.logback.classic.AsyncAppender;
import ch.qos.logback.classic.spi.ILoggingEvent;

/**
 * Logback's {@link AsyncAppender} that never blocks a request and counts what it drops: with {@code neverBlock} a full
 * queue silently discards the event, so the queue's room is checked first. Producers take turns for that check (a
 * lock held for one offer), which makes the count exact: between the check and the offer only the worker touches the
 * queue, and it only makes room. Nothing is dropped by level before the queue is full ({@code discardingThreshold} 0).
 */
final class DroppingAsyncAppender extends AsyncAppender {

    private final LongAdder dropped = new LongAdder();
    private final ReentrantLock offering = new ReentrantLock();

    DroppingAsyncAppender(int queueSize) {
        setQueueSize(queueSize);
        setNeverBlock(true);
        setDiscardingThreshold(0);
        setIncludeCallerData(false);
    }

    @Override
    protected void append(ILoggingEvent event) {
        offering.lock();
        try {
            if (getRemainingCapacity() == 0) {
                dropped.increment();
                return;
            }
            super.append(event);
        } finally {
            offering.unlock();
        }
    }

    long dropped() {
        return dropped.sum();
    }
}
