package dev.herd.server.config;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class HerdSecretTest {
    private final HerdSecret secret = new HerdSecret("s3cret-s3cret-s3cret".getBytes(StandardCharsets.UTF_8));

    @Test
    void aProofVerifiesOnlyForTheSameNamesNonceAndSecret() {
        String nonce = secret.newNonce();
        String proof = secret.proof("Hill", "Smith", nonce);
        assertThat(proof).matches("[0-9a-f]{64}");
        assertThat(secret.verify("Hill", "Smith", nonce, proof)).isTrue();
        assertThat(secret.verify("Jaquez", "Smith", nonce, proof)).isFalse();
        assertThat(secret.verify("Hill", "Campbell", nonce, proof)).isFalse();
        assertThat(secret.verify("Hill", "Smith", secret.newNonce(), proof)).isFalse();
        assertThat(new HerdSecret("other-other-other-other".getBytes(StandardCharsets.UTF_8)).verify("Hill", "Smith", nonce, proof)).isFalse();
    }

    @Test
    void noncesAreFreshAndTheSecretIsNeverPrinted() {
        assertThat(secret.newNonce()).isNotEqualTo(secret.newNonce()).matches("[0-9a-f]{32}");
        assertThat(secret.toString()).doesNotContain("s3cret");
        assertThatThrownBy(() -> new HerdSecret(new byte[0])).hasMessageContaining("0 bytes");
        assertThatThrownBy(() -> new HerdSecret(new byte[15])).hasMessageContaining("at least 16");
    }
}
