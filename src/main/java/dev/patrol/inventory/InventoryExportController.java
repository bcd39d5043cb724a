package dev.patrol.inventory;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.util.MultiValueMap;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestAttribute;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import dev.patrol.graphql.DateInput;
import dev.patrol.inventory.InventoryRepository.Visibility;
import dev.patrol.owner.UserKind;
import dev.patrol.shared.Caller;
import dev.patrol.shared.PatrolException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * {@code GET /inventory/export?format=csv|ndjson&<filter>}: the inventory as a file, streamed (CSV row by row as
 * the database sends it, NDJSON and the owner order a page at a time) so memory stays flat at any size. Filter parameters are named as in GraphQL's InventoryFilter; lists are
 * comma-separated or repeated; dates follow {@link DateInput}; an unknown parameter is refused with 400.
 */
@RestController
class InventoryExportController {

    static final List<String> COLUMNS = List.of("kind", "id", "type", "name", "state", "owner_username", "owner_kind",
            "scopes", "role", "resource_path", "created_at", "expires_at", "revoked_at", "last_used_at",
            "last_used_ips");

    /** Every parameter the export reads; any other is refused rather than ignored (a misspelled filter). */
    static final List<String> PARAMETERS = List.of("format", "ticket", "groupPath", "sort", "types", "states",
            "ownerUsername", "ownerSearch", "ownerKinds", "scopesAnyOf", "scopesAllOf", "createdBefore",
            "createdAfter", "expiresBefore", "expiresAfter", "lastUsedBefore", "lastUsedAfter", "neverUsed",
            "lastUsedIp", "search");

    private final InventoryService inventory;
    private final JsonMapper json = JsonMapper.builder().build();
    private final Counter csvRows;
    private final Counter ndjsonRows;

    InventoryExportController(InventoryService inventory, MeterRegistry meters) {
        this.inventory = inventory;
        this.csvRows = exportedRows(meters, "csv");
        this.ndjsonRows = exportedRows(meters, "ndjson");
    }

    private static Counter exportedRows(MeterRegistry meters, String format) {
        return Counter.builder("patrol.inventory.export.rows").description("Rows written by inventory exports")
                .tag("format", format).register(meters);
    }

    /**
     * Writes in the request's own (virtual) thread rather than as an async {@code StreamingResponseBody}, so a
     * million-row export is not cut off by the async request timeout.
     */
    @GetMapping("/inventory/export")
    void export(@RequestAttribute(Caller.KEY) Caller caller, @RequestParam(defaultValue = "csv") String format,
            @RequestParam(required = false) String groupPath, @RequestParam(required = false) String sort,
            @RequestParam MultiValueMap<String, String> params, HttpServletResponse response) throws IOException {
        List<String> unknown = params.keySet().stream().filter(name -> !PARAMETERS.contains(name))
                .map(DateInput::quote).toList();
        if (!unknown.isEmpty()) {
            throw PatrolException.badInput("Unknown parameter" + (unknown.size() == 1 ? " " : "s ")
                    + String.join(", ", unknown.subList(0, Math.min(unknown.size(), 5)))
                    + (unknown.size() > 5 ? " and " + (unknown.size() - 5) + " more" : "")
                    + "; the valid ones are " + String.join(", ", PARAMETERS) + ".");
        }
        boolean csv = switch (format) {
            case "csv" -> true;
            case "ndjson" -> false;
            default -> throw PatrolException.badInput("format must be csv or ndjson.");
        };
        InventoryFilter filter = InventoryService.valid(filter(params));
        InventorySort order = sort == null ? InventorySort.EXPIRES_ASC : parse(sort, InventorySort::valueOf, "sort");
        Visibility scope = inventory.scope(caller.actor(), groupPath);

        response.setContentType(csv ? "text/csv;charset=UTF-8" : "application/x-ndjson;charset=UTF-8");
        response.setHeader(HttpHeaders.CONTENT_DISPOSITION,
                "attachment; filename=\"credentials-inventory." + format + "\"");
        Writer writer = new BufferedWriter(new OutputStreamWriter(response.getOutputStream(), StandardCharsets.UTF_8),
                WRITE_BUFFER);
        if (csv) {
            CSVPrinter printer = CSVFormat.RFC4180.builder().setHeader(COLUMNS.toArray(String[]::new)).get()
                    .print(writer);
            if (order.key != InventorySort.Key.OWNER) {
                long[] rows = {0};
                try {
                    inventory.export(scope, filter, order, row -> {
                        csvRecord(printer, row);
                        rows[0]++;
                    });
                } finally {
                    csvRows.increment(rows[0]);
                }
            } else {
                inventory.forEachPage(scope, filter, order, rows -> {
                    csvRows.increment(rows.size());
                    try {
                        for (InventoryCredential c : rows) {
                            printer.printRecord(row(c).values().stream().map(InventoryExportController::cell).toList());
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                });
            }
        } else {
            inventory.forEachPage(scope, filter, order, rows -> {
                ndjsonRows.increment(rows.size());
                try {
                    for (InventoryCredential c : rows) {
                        writer.write(json.writeValueAsString(row(c)));
                        writer.write('\n');
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
        writer.flush();
    }

    /** Bytes gathered before a write to the response: a few dozen rows rather than a few. */
    private static final int WRITE_BUFFER = 64 * 1024;

    /** One streamed credential as a CSV record, cell by cell: the same cells as {@link #row} and {@link #cell}. */
    private static void csvRecord(CSVPrinter printer, InventoryRepository.ExportRow c) throws IOException {
        printer.print(c.kind().name());
        printer.print(c.id());
        printer.print(text(c.type()));
        printer.print(text(c.name()));
        printer.print(c.state().name());
        printer.print(text(c.ownerUsername()));
        printer.print(c.ownerKind());
        printer.print(c.scopes());
        Integer level = c.accessLevel();
        printer.print(level == null ? null : dev.patrol.owner.AccessLevel.of(level).name());
        printer.print(text(c.resourcePath()));
        printer.print(instant(c.createdAt()));
        LocalDate expiresAt = c.expiresAt();
        printer.print(expiresAt == null ? null : expiresAt.toString());
        printer.print(instant(c.revokedAt()));
        printer.print(instant(c.lastUsedAt()));
        printer.print(c.lastUsedIps());
        printer.println();
    }

    private static String text(String value) {
        return (String) cell(value);
    }

    private static String instant(LocalDateTime utc) {
        return utc == null ? null : utc.toInstant(ZoneOffset.UTC).toString();
    }

    private static Map<String, Object> row(InventoryCredential c) {
        Map<String, Object> row = new LinkedHashMap<>();
        row.put("kind", c.kind().name());
        row.put("id", c.id());
        row.put("type", c.type());
        row.put("name", c.name());
        row.put("state", c.state().name());
        row.put("owner_username", c.ownerUsername());
        row.put("owner_kind", c.ownerKind() == null ? null : c.ownerKind().name());
        row.put("scopes", c.scopes());
        row.put("role", c.accessLevel() == null ? null : dev.patrol.owner.AccessLevel.of(c.accessLevel()).name());
        row.put("resource_path", c.resourcePath());
        row.put("created_at", text(c.createdAt()));
        row.put("expires_at", c.expiresAt() == null ? null : c.expiresAt().toString());
        row.put("revoked_at", text(c.revokedAt()));
        row.put("last_used_at", text(c.lastUsedAt()));
        row.put("last_used_ips", c.lastUsedIps());
        return row;
    }

    /**
     * A CSV cell. Lists are space-separated; text a spreadsheet would run as a formula (a token named
     * {@code =HYPERLINK(...)}) is prefixed with a quote, as OWASP advises for CSV exports.
     */
    private static Object cell(Object value) {
        if (value instanceof List<?> list) {
            return String.join(" ", list.stream().map(String::valueOf).toList());
        }
        if (value instanceof String text && !text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            return "'" + text;
        }
        return value;
    }

    private static String text(OffsetDateTime time) {
        return time == null ? null : time.toInstant().toString();
    }

    private static InventoryFilter filter(MultiValueMap<String, String> p) {
        return new InventoryFilter(list(p, "types", s -> s.toUpperCase()), list(p, "states",
                s -> parse(s.toUpperCase(), CredentialState::valueOf, "states")), p.getFirst("ownerUsername"),
                p.getFirst("ownerSearch"), list(p, "ownerKinds", s -> parse(s.toUpperCase(), UserKind::valueOf, "ownerKinds")),
                list(p, "scopesAnyOf", s -> s), list(p, "scopesAllOf", s -> s),
                one(p, "createdBefore", DateInput::time), one(p, "createdAfter", DateInput::time),
                one(p, "expiresBefore", DateInput::date), one(p, "expiresAfter", DateInput::date),
                one(p, "lastUsedBefore", DateInput::time), one(p, "lastUsedAfter", DateInput::time),
                one(p, "neverUsed", InventoryExportController::bool), p.getFirst("lastUsedIp"), p.getFirst("search"));
    }

    private static <T> List<T> list(MultiValueMap<String, String> p, String name, Function<String, T> parse) {
        List<String> values = p.get(name);
        if (values == null) {
            return null;
        }
        List<T> result = new ArrayList<>();
        values.stream().flatMap(v -> Arrays.stream(v.split(","))).map(String::strip).filter(s -> !s.isEmpty())
                .map(parse).forEach(result::add);
        return result;
    }

    private static <T> T one(MultiValueMap<String, String> p, String name, Function<String, T> parse) {
        String value = p.getFirst(name);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return parse.apply(value.strip());
        } catch (IllegalArgumentException e) {
            throw PatrolException.badInput(name + ": " + e.getMessage());
        }
    }

    private static Boolean bool(String value) {
        return switch (value.toLowerCase()) {
            case "true" -> true;
            case "false" -> false;
            default -> throw PatrolException.badInput("neverUsed must be true or false.");
        };
    }

    private static <T> T parse(String value, Function<String, T> valueOf, String name) {
        try {
            return valueOf.apply(value.toUpperCase());
        } catch (IllegalArgumentException e) {
            throw PatrolException.badInput(DateInput.quote(value) + " is not a valid " + name + ".");
        }
    }

    @ExceptionHandler(PatrolException.class)
    ResponseEntity<Map<String, String>> refuse(PatrolException e) {
        HttpStatus status = switch (e.code()) {
            case FORBIDDEN -> HttpStatus.FORBIDDEN;
            case NOT_FOUND -> HttpStatus.NOT_FOUND;
            case CONFLICT -> HttpStatus.CONFLICT;
            case UNAUTHENTICATED -> HttpStatus.UNAUTHORIZED;
            case BAD_USER_INPUT -> HttpStatus.BAD_REQUEST;
            case SERVICE_UNAVAILABLE -> HttpStatus.SERVICE_UNAVAILABLE;
        };
        return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON)
                .body(Map.of("error", e.code().name().toLowerCase(), "message", e.getMessage()));
    }
}
