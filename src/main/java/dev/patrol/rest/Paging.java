package dev.patrol.rest;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;

import dev.patrol.shared.Actor;
import dev.patrol.shared.Connection;
import dev.patrol.shared.PageRequest;
import dev.patrol.token.AccessToken;
import dev.patrol.token.TokenFilter;
import dev.patrol.token.TokenListScope;
import dev.patrol.token.TokenSearch;
import dev.patrol.token.TokenSort;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * GitLab's pagination over Patrol's keyset-paged token lists. Clients send {@code page} and {@code per_page} (at most
 * {@value PageRequest#MAX_SIZE}, default {@value PageRequest#DEFAULT_SIZE}) and get {@code X-Page},
 * {@code X-Per-Page}, {@code X-Next-Page}, {@code X-Prev-Page}, {@code X-Total} and {@code X-Total-Pages} (both only
 * while the list has at most {@value #COUNTED_UP_TO} tokens, as GitLab leaves them out of large lists) and a
 * {@code Link} header. The {@code rel="next"} link carries a keyset {@code cursor}, so a client that follows it (as
 * gitbeaker and python-gitlab do) pages by index seeks, never by OFFSET. Only a page asked for by number without a
 * cursor is read with an OFFSET, bounded at {@value #MAX_OFFSET} rows (GitLab's 405 beyond). With
 * {@code pagination=keyset} the answer has only the {@code Link} header, and no count is made.
 */
@Component
class Paging {

    static final int MAX_OFFSET = 50_000;
    static final int COUNTED_UP_TO = 10_000;
    private static final Set<String> PAGING_PARAMETERS = Set.of("page", "per_page", "cursor");

    private final TokenSearch search;

    Paging(TokenSearch search) {
        this.search = search;
    }

    List<AccessToken> page(Actor actor, TokenListScope scope, TokenFilter filter, TokenSort sort, Params params,
            HttpServletRequest request, HttpServletResponse response) {
        Integer requestedPage = params.integer("page");
        int page = requestedPage == null || requestedPage < 1 ? 1 : requestedPage;
        Integer requestedSize = params.integer("per_page");
        int perPage = requestedSize == null || requestedSize < 1 ? PageRequest.DEFAULT_SIZE
                : Math.min(requestedSize, PageRequest.MAX_SIZE);
        String cursor = params.string("cursor");
        boolean keyset = "keyset".equals(params.string("pagination"));

        Connection<AccessToken> rows;
        if (cursor != null || page == 1 || keyset) {
            rows = search.search(actor, scope, filter, sort, new PageRequest(perPage, false, cursor));
        } else {
            long offset = (long) (page - 1) * perPage;
            if (offset > MAX_OFFSET) {
                throw RestError.offsetTooLarge(MAX_OFFSET);
            }
            rows = search.searchFrom(actor, scope, filter, sort, (int) offset, perPage);
        }
        boolean hasNext = rows.pageInfo().hasNextPage();
        String next = hasNext ? link(request, Map.of("page", page + 1, "per_page", perPage,
                "cursor", rows.pageInfo().endCursor())) : null;
        if (keyset) {
            if (next != null) {
                response.setHeader(HttpHeaders.LINK, "<" + next + ">; rel=\"next\"");
            }
            return rows.nodes();
        }
        response.setHeader("X-Page", String.valueOf(page));
        response.setHeader("X-Per-Page", String.valueOf(perPage));
        response.setHeader("X-Next-Page", hasNext ? String.valueOf(page + 1) : "");
        response.setHeader("X-Prev-Page", page > 1 ? String.valueOf(page - 1) : "");
        List<String> links = new ArrayList<>();
        if (page > 1) {
            links.add("<" + link(request, Map.of("page", page - 1, "per_page", perPage)) + ">; rel=\"prev\"");
        }
        if (next != null) {
            links.add("<" + next + ">; rel=\"next\"");
        }
        links.add("<" + link(request, Map.of("page", 1, "per_page", perPage)) + ">; rel=\"first\"");
        long total = search.countUpTo(actor, scope, filter, COUNTED_UP_TO);
        if (total <= COUNTED_UP_TO) {
            long pages = Math.max(1, (total + perPage - 1) / perPage);
            response.setHeader("X-Total", String.valueOf(total));
            response.setHeader("X-Total-Pages", String.valueOf(pages));
            links.add("<" + link(request, Map.of("page", pages, "per_page", perPage)) + ">; rel=\"last\"");
        }
        response.setHeader(HttpHeaders.LINK, String.join(", ", links));
        return rows.nodes();
    }

    /** This request's address with its other parameters kept and the paging ones replaced. */
    private static String link(HttpServletRequest request, Map<String, Object> paging) {
        StringBuilder url = new StringBuilder(request.getRequestURL());
        String query = request.getParameterMap().entrySet().stream()
                .filter(e -> !PAGING_PARAMETERS.contains(e.getKey()))
                .flatMap(e -> java.util.Arrays.stream(e.getValue()).map(v -> encode(e.getKey()) + "=" + encode(v)))
                .collect(Collectors.joining("&"));
        String pagingQuery = List.of("page", "per_page", "cursor").stream().filter(paging::containsKey)
                .map(k -> k + "=" + encode(String.valueOf(paging.get(k)))).collect(Collectors.joining("&"));
        url.append('?').append(query.isEmpty() ? pagingQuery : query + "&" + pagingQuery);
        return url.toString();
    }

    private static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
