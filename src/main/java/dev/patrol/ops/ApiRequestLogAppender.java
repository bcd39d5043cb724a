package dev.patrol.ops;

import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.DisposableBean;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.stereotype.Component;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.OutputStreamAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * Where the API request log ({@code patrol.api}) goes: through a {@link DroppingAsyncAppender}, so logging never
 * makes a request wait, to its own file ({@code patrol.api-log.file}, like GitLab's {@code api_json.log}) or, without
 * one, to standard output; one flat JSON object per line ({@link ApiJsonLayout}) either way, never nested inside
 * the application log's own format. Lines dropped because the queue was full are counted
 * ({@code patrol.api.log.dropped}): a security log that blocks requests would be worse than one with a counted gap.
 */
@Component
@ConditionalOnWebApplication
class ApiRequestLogAppender implements DisposableBean {

    static final String LOGGER = "patrol.api";
    private static final String NAME = "PATROL_API_ASYNC";

    private final Logger logger;
    private final DroppingAsyncAppender async;
    private final boolean owner;

    @Autowired
    ApiRequestLogAppender(@Value("${patrol.api-log.file:}") String file,
            @Value("${patrol.api-log.queue-size:8192}") int queueSize, MeterRegistry registry) {
        this((LoggerContext) LoggerFactory.getILoggerFactory(), file, queueSize, registry);
    }

    ApiRequestLogAppender(LoggerContext context, String file, int queueSize, MeterRegistry registry) {
        this.logger = context.getLogger(LOGGER);
        // one appender per JVM: a second application context (tests) shares the first one's
        if (logger.getAppender(NAME) instanceof DroppingAsyncAppender existing) {
            this.async = existing;
            this.owner = false;
        } else {
            this.async = start(context, target(context, file), queueSize);
            this.owner = true;
            logger.addAppender(async);
            logger.setAdditive(false);
        }
        FunctionCounter.builder("patrol.api.log.dropped", async, DroppingAsyncAppender::dropped)
                .description("API request log lines dropped because the log's queue was full").register(registry);
    }

    private static OutputStreamAppender<ILoggingEvent> target(LoggerContext context, String file) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        ApiJsonLayout layout = new ApiJsonLayout();
        layout.setContext(context);
        layout.start();
        encoder.setLayout(layout);
        encoder.setContext(context);
        encoder.start();
        OutputStreamAppender<ILoggingEvent> target;
        if (file == null || file.isBlank()) {
            target = new ConsoleAppender<>();
        } else {
            FileAppender<ILoggingEvent> toFile = new FileAppender<>();
            toFile.setFile(file);
            toFile.setAppend(true);
            target = toFile;
        }
        target.setName("PATROL_API_TARGET");
        target.setContext(context);
        target.setEncoder(encoder);
        target.start();
        return target;
    }

    private static DroppingAsyncAppender start(LoggerContext context, OutputStreamAppender<ILoggingEvent> target,
            int queueSize) {
        DroppingAsyncAppender async = new DroppingAsyncAppender(queueSize);
        async.setName(NAME);
        async.setContext(context);
        async.addAppender(target);
        async.start();
        return async;
    }

    @Override
    public void destroy() {
        if (owner) {
            logger.detachAppender(async);
            logger.setAdditive(true);
            async.stop();
        }
    }
}
