package dev.herd.testkit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** A client that sends without reading can only stall itself: the server stops reading from it. */
@HerdTest(topology = "{\"servers\": {\"Solo\": {\"port\": 1, \"peers\": []}}}")
@Timeout(60)
class BackpressureTest {

    @Test
    void aClientThatNeverReadsIsThrottledAndStillGetsEveryReply(Herd herd) throws Exception {
        byte[] line = "IAMAT greedy +34.068930-118.445127 1621464827.959498503\n".getBytes(StandardCharsets.US_ASCII);
        long sentBytes = 0;
        try (SocketChannel ch = SocketChannel.open(herd.address("Solo"))) {
            ch.configureBlocking(false);
            ByteBuffer chunk = ByteBuffer.allocate(line.length * 1000);
            long lastProgress = System.nanoTime();
            // Write without reading until the server stops taking bytes for half a second.
            while (System.nanoTime() - lastProgress < TimeUnit.MILLISECONDS.toNanos(500)) {
                if (!chunk.hasRemaining() || chunk.position() == 0) {
                    chunk.clear();
                    for (int i = 0; i < 1000; i++) {
                        chunk.put(line);
                    }
                    chunk.flip();
                }
                int written = ch.write(chunk);
                if (written > 0) {
                    lastProgress = System.nanoTime();
                    sentBytes += written;
                }
                assertThat(sentBytes / line.length).as("lines the server took without the client reading").isLessThan(5_000_000);
            }
            long fullLines = sentBytes / line.length;
            boolean partialLine = sentBytes % line.length != 0;
            // The server stopped reading long before memory ran out; now read everything back.
            ch.shutdownOutput();
            ch.configureBlocking(true);
            Socket socket = ch.socket();
            socket.setSoTimeout(20_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            long replies = 0;
            for (String reply; (reply = in.readLine()) != null; replies++) {
                if (replies < fullLines) {
                    assertThat(reply).startsWith("AT Solo ");
                } else {
                    // The cut-off last line is a last line too: valid or not, depending on where it was cut.
                    assertThat(reply).matches("(AT Solo |\\? ).*");
                }
            }
            assertThat(replies).isEqualTo(fullLines + (partialLine ? 1 : 0));
        }
    }
}
