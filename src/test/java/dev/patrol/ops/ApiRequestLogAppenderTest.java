package dev.patrol.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.util.LogbackMDCAdapter;
import ch.qos.logback.core.AppenderBase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import tools.jackson.databind.json.JsonMapper;

/**
 * The request log's own appender, on a logger context of its own: GitLab-style lines in the configured file, and a
 * full queue that drops (and counts) instead of making the request wait.
 */
class ApiRequestLogAppenderTest {

    @TempDir Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void eachRequestIsOneFlatJsonObjectPerLineInItsOwnFile() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        Path file = dir.resolve("api_json.log");
        ApiRequestLogAppender appender = new ApiRequestLogAppender(context, file.toString(), 16,
                new SimpleMeterRegistry());
        Logger logger = context.getLogger(ApiRequestLogAppender.LOGGER);

        logger.info("{\"method\":\"POST\",\"path\":\"/graphql\",\"status\":200,\"duration_s\":0.0042}");
        logger.info("not JSON: \"quoted\"");
        appender.destroy();

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        JsonMapper json = JsonMapper.builder().build();
        Map<String, Object> request = json.readValue(lines.get(0), Map.class);
        assertThat(request.keySet()).startsWith("time", "severity");
        assertThat(request).containsEntry("severity", "INFO").containsEntry("method", "POST")
                .containsEntry("status", 200).containsEntry("duration_s", 0.0042);
        assertThat((String) request.get("time")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d(\\.\\d+)?Z");
        assertThat((Map<String, Object>) json.readValue(lines.get(1), Map.class))
                .containsEntry("message", "not JSON: \"quoted\"");
        assertThat(logger.isAdditive()).isTrue();
    }

    @Test
    void aFullQueueDropsLinesAndCountsThemInsteadOfBlocking() throws Exception {
        LoggerContext context = new LoggerContext();
        context.setMDCAdapter(new LogbackMDCAdapter());
        context.start();
        CountDownLatch first = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AppenderBase<ILoggingEvent> stuck = new AppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                first.countDown();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        };
        stuck.setContext(context);
        stuck.start();
        DroppingAsyncAppender async = new DroppingAsyncAppender(4);
        async.setContext(context);
        async.addAppender(stuck);
        async.start();
        Logger logger = context.getLogger("patrol.api");
        logger.addAppender(async);

        logger.info("{\"n\":0}");
        assertThat(first.await(10, TimeUnit.SECONDS)).isTrue();
        for (int i = 1; i <= 10; i++) {
            logger.info("{\"n\":" + i + "}");
        }

        // the worker holds the first line; the queue takes 4 more; 6 are dropped, none waited
        assertThat(async.dropped()).isEqualTo(6);
        release.countDown();
        async.stop();
    }
}
