package dev.patrol.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;

class TokenSecretsTest {

    @Test
    void generatedValuesCarryTheirTypePrefixAndAValidChecksum() {
        for (TokenType type : TokenType.values()) {
            String value = TokenSecrets.generate(type);
            assertThat(value).startsWith(type.prefix());
            assertThat(TokenSecrets.wellFormedPrefix(value)).contains(type.prefix());
        }
    }

    @Test
    void generatedValuesAreUnique() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 10_000; i++) {
            assertThat(seen.add(TokenSecrets.generate(TokenType.PERSONAL))).isTrue();
        }
    }

    @Test
    void aMistypedCharacterBreaksTheChecksum() {
        String value = TokenSecrets.generate(TokenType.PERSONAL);
        int i = TokenType.PERSONAL.prefix().length() + 5;
        char swapped = value.charAt(i) == 'a' ? 'b' : 'a';
        String typo = value.substring(0, i) + swapped + value.substring(i + 1);
        assertThat(TokenSecrets.isWellFormed(typo)).isFalse();
    }

    @Test
    void foreignOrTruncatedValuesAreMalformed() {
        String value = TokenSecrets.generate(TokenType.DEPLOY);
        assertThat(TokenSecrets.isWellFormed(value.substring(0, value.length() - 1))).isFalse();
        assertThat(TokenSecrets.isWellFormed("ghp_" + value.substring(5))).isFalse();
        assertThat(TokenSecrets.isWellFormed("")).isFalse();
        assertThat(TokenSecrets.isWellFormed(null)).isFalse();
        assertThat(TokenSecrets.isWellFormed(value.replace(value.charAt(10), '-'))).isFalse();
    }

    @Test
    void aChosenRandomPartMakesAValidPredeterminedValue() {
        String value = TokenSecrets.withChecksum("glpat-", "AutomationToken00000000000000001");
        assertThat(TokenSecrets.isWellFormed(value)).isTrue();
        assertThatThrownBy(() -> TokenSecrets.withChecksum("glpat-", "too-short"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void theDisplayPrefixRevealsOnlyFourRandomCharacters() {
        String value = TokenSecrets.generate(TokenType.PERSONAL);
        assertThat(TokenSecrets.displayPrefix(value, "glpat-")).hasSize("glpat-".length() + 4);
    }

    @Test
    void theDigestIsSha256() {
        assertThat(TokenSecrets.digest("x")).hasSize(32);
    }
}
