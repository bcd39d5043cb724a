package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;
import static patrol.jooq.Tables.ACCESS_TOKENS;

import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import dev.patrol.owner.User;
import dev.patrol.support.Fixtures;
import dev.patrol.support.PatrolTest;
import dev.patrol.token.TokenRepository.TokenAndUser;

@PatrolTest
class TokenWalkTest {

    @Autowired Fixtures fixtures;
    @Autowired TokenService tokens;
    @Autowired TokenRepository repository;

    @Test
    void aWalkReadsEveryTokenInChunksAsTheyAreStored() {
        User owner = fixtures.human();
        List<Long> ids = new ArrayList<>();
        ids.add(fixtures.pat(owner, "read_repository", "api").token().id());
        ids.add(fixtures.pat(owner, LocalDate.now().plusDays(9), "read_api").token().id());
        ids.add(fixtures.pat(owner, "write_repository", "read_user", "api").token().id());
        ids.add(fixtures.pat(owner, "api", "read_repository").token().id());
        ids.add(fixtures.pat(owner, "read_api").token().id());
        tokens.revoke(fixtures.system(), ids.get(2));

        List<TokenAndUser> walked = new ArrayList<>();
        long after = 0;
        List<TokenAndUser> chunk;
        do {
            chunk = repository.walkChunk(ACCESS_TOKENS.USER_ID.eq(owner.id()), after, 2);
            walked.addAll(chunk);
            after = chunk.isEmpty() ? after : chunk.getLast().token().id();
        } while (chunk.size() == 2);

        assertThat(walked).extracting(TokenAndUser::token).containsExactlyElementsOf(repository.findByIds(ids));
        assertThat(walked).extracting(t -> t.user().id()).containsOnly(owner.id());
        assertThat(walked.getFirst().token().scopes()).containsExactly(Scope.API, Scope.READ_REPOSITORY);
        assertThat(walked.get(2).token().scopes()).containsExactly(Scope.API, Scope.READ_USER, Scope.WRITE_REPOSITORY);
        assertThat(repository.walkChunk(ACCESS_TOKENS.USER_ID.eq(owner.id()), ids.get(3), 10))
                .extracting(t -> t.token().id()).containsExactly(ids.get(4));
    }
}
