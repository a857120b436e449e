package dev.herd.server.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The herd secret, and the challenge-response that proves a peer knows it without sending it: the
 * receiving server sends a fresh random nonce, the connecting server answers with the HMAC-SHA256 of
 * its own name, the receiver's name and the nonce under the secret. Never printed.
 */
public final class HerdSecret {
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final int NONCE_BYTES = 16;

    private final SecretKeySpec key;

    /** Shorter secrets are refused: 16 bytes is the least that a guess cannot find. */
    public static final int MIN_BYTES = 16;

    public HerdSecret(byte[] secret) {
        if (secret.length < MIN_BYTES) {
            throw new IllegalArgumentException("the herd secret has " + secret.length + " bytes (expected: at least "
                    + MIN_BYTES + "; openssl rand -hex 32 makes a good one)");
        }
        this.key = new SecretKeySpec(secret.clone(), "HmacSHA256");
    }

    /** A fresh challenge for one connection. */
    public String newNonce() {
        byte[] nonce = new byte[NONCE_BYTES];
        RANDOM.nextBytes(nonce);
        return HexFormat.of().formatHex(nonce);
    }

    /** What {@code sender} answers {@code receiver}'s challenge with. */
    public String proof(String sender, String receiver, String nonce) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            byte[] tag = mac.doFinal(("herd-peer\n" + sender + "\n" + receiver + "\n" + nonce).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(tag);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JVM", e);
        }
    }

    /** Whether {@code proof} is right, compared in constant time. */
    public boolean verify(String sender, String receiver, String nonce, String proof) {
        byte[] expected = proof(sender, receiver, nonce).getBytes(StandardCharsets.US_ASCII);
        return MessageDigest.isEqual(expected, proof.getBytes(StandardCharsets.US_ASCII));
    }

    @Override
    public String toString() {
        return "HerdSecret[hidden]";
    }
}
