package dev.patrol.auth;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;

import org.springframework.graphql.data.method.annotation.ContextValue;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.stereotype.Controller;

import dev.patrol.shared.Caller;

/** Serves {@code downloadTicketCreate}: a ticket for the caller's own token ({@link DownloadTickets}). */
@Controller
class DownloadTicketController {

    private final DownloadTickets tickets;

    DownloadTicketController(DownloadTickets tickets) {
        this.tickets = tickets;
    }

    record Payload(String ticket, OffsetDateTime expiresAt, List<String> errors) {
    }

    @MutationMapping
    Payload downloadTicketCreate(@ContextValue Caller caller) {
        DownloadTickets.Issued issued = tickets.issue(caller);
        return new Payload(issued.ticket(), issued.expiresAt().atOffset(ZoneOffset.UTC), List.of());
    }
}
