package dev.patrol.ops;

import java.time.Instant;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.LayoutBase;

/**
 * One request log line as GitLab's {@code api_json.log} has it: a flat JSON object that starts with {@code time} and
 * {@code severity}, followed by the request's own fields (the message is already a JSON object: ApiRequestLog writes
 * it). Anything else logged on {@code patrol.api} becomes {@code "message"}, so every line stays one object.
 */
final class ApiJsonLayout extends LayoutBase<ILoggingEvent> {

    @Override
    public String doLayout(ILoggingEvent event) {
        String message = event.getFormattedMessage();
        StringBuilder line = new StringBuilder(message.length() + 64)
                .append("{\"time\":\"").append(Instant.ofEpochMilli(event.getTimeStamp()))
                .append("\",\"severity\":\"").append(event.getLevel()).append('"');
        if (message.startsWith("{") && message.endsWith("}")) {
            if (message.length() > 2) {
                line.append(',').append(message, 1, message.length());
            } else {
                line.append('}');
            }
        } else {
            line.append(",\"message\":").append(quote(message)).append('}');
        }
        return line.append('\n').toString();
    }

    static String quote(String text) {
        StringBuilder quoted = new StringBuilder(text.length() + 2).append('"');
        for (char c : text.toCharArray()) {
            switch (c) {
                case '"' -> quoted.append("\\\"");
                case '\\' -> quoted.append("\\\\");
                case '\n' -> quoted.append("\\n");
                case '\r' -> quoted.append("\\r");
                case '\t' -> quoted.append("\\t");
                default -> {
                    if (c < 0x20) {
                        quoted.append(String.format("\\u%04x", (int) c));
                    } else {
                        quoted.append(c);
                    }
                }
            }
        }
        return quoted.append('"').toString();
    }
}
