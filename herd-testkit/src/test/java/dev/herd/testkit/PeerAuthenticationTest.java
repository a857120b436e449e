package dev.herd.testkit;

import dev.herd.testing.LineClient;
import dev.herd.testing.Wait;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** With a herd secret, only servers that prove they know it can write records. */
@Timeout(60)
class PeerAuthenticationTest {
    private static final String SECRET = "correct horse battery staple";

    @RegisterExtension
    static final HerdExtension HERD = HerdExtension.configure(b -> b.secret(SECRET));

    @Test
    void anAuthenticatedHerdStillFloods(Herd herd) {
        String at = herd.client("Hill").iamat("kiwi", "+34.068930-118.445127", "1621464827.959498503");
        herd.awaitRecord("Campbell", "kiwi", at, Duration.ofSeconds(5));
        // The log is written asynchronously: wait for the line rather than expect it at once.
        Wait.until("Hill to log an authenticated link", Duration.ofSeconds(5), () -> herd.log("Hill").contains("(authenticated both ways)"));
        assertThat(herd.log("Hill")).doesNotContain(SECRET);
    }

    @Test
    void aPeerThatCannotProveTheSecretIsClosedAndWritesNothing(Herd herd) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(herd.peerAddress("Hill"), 2000);
            s.setSoTimeout(8000);
            send(s, "PEER Smith\n");
            String challenge = readLine(s.getInputStream());
            assertThat(challenge).matches("CHALLENGE [0-9a-f]{32}");
            send(s, "PROOF " + "00".repeat(32) + "\nAT Smith +0.000000001 victim +0+0 9999999999\n");
            assertThat(readToEnd(s.getInputStream())).isEmpty();
        }
        herd.client("Hill").iamat("marker", "+0+0", "1");
        herd.awaitConverged("marker", Duration.ofSeconds(5));
        assertThat(herd.record("Hill", "victim")).isEmpty();
        Wait.until("Hill to log the failed authentication", Duration.ofSeconds(5),
                () -> herd.log("Hill").contains("failed authentication"));
    }

    @Test
    void aClientCannotSkipTheChallenge(Herd herd) {
        LineClient client = herd.client("Hill");
        client.send("PROOF abcdef");
        assertThat(client.readLine()).isEqualTo("? PROOF abcdef");
    }

    @Test
    void peerWordsOnTheClientPortAreJustInvalidLines(Herd herd) {
        LineClient client = herd.client("Hill");
        client.send("PEER Smith");
        assertThat(client.readLine()).isEqualTo("? PEER Smith");
        client.send("AT Smith +0.000000001 victim +0+0 9999999999");
        assertThat(client.readLine()).isEqualTo("? AT Smith +0.000000001 victim +0+0 9999999999");
        assertThat(herd.record("Hill", "victim")).isEmpty();
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        s.getOutputStream().flush();
    }

    private static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b; (b = in.read()) != '\n'; ) {
            if (b < 0) {
                throw new IOException("closed before a full line: " + line);
            }
            line.append((char) b);
        }
        return line.toString();
    }

    private static String readToEnd(InputStream in) throws IOException {
        return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
    }
}
