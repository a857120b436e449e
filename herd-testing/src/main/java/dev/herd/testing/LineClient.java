package dev.herd.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A blocking client for one herd connection, for tests: every read has a timeout, so a server that
 * does not answer fails the test instead of hanging it. Not thread-safe.
 */
public final class LineClient implements AutoCloseable {
    /** How long a read waits unless told otherwise. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private LineClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /** Connects to a server; reads time out after {@code timeout}. */
    public static LineClient connect(InetSocketAddress address, Duration timeout) {
        Socket socket = new Socket();
        try {
            socket.connect(address, (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            socket.setTcpNoDelay(true);
            return new LineClient(socket);
        } catch (IOException e) {
            closeQuietly(socket);
            throw new UncheckedIOException("cannot connect to " + address, e);
        }
    }

    public static LineClient connect(InetSocketAddress address) {
        return connect(address, DEFAULT_TIMEOUT);
    }

    /** Sends {@code IAMAT} and returns the reply line. */
    public String iamat(String clientId, String location, String time) {
        send("IAMAT " + clientId + " " + location + " " + time);
        return readLine();
    }

    /**
     * Sends {@code WHATSAT} and returns the whole reply: the AT line, the JSON and the blank line that
     * ends it, or the single {@code ? } line if the server refused it.
     */
    public String whatsat(String clientId, double radiusKm, int bound) {
        String radius = radiusKm == Math.rint(radiusKm) && Math.abs(radiusKm) < 1e15 ? Long.toString((long) radiusKm)
                : BigDecimal.valueOf(radiusKm).stripTrailingZeros().toPlainString();
        return whatsat(clientId, radius, bound);
    }

    /**
     * As {@link #whatsat(String, double, int)}, with the radius sent exactly as given: for forms a number
     * does not print ({@code .5}, {@code 5.}, {@code 1e1}), as tests of the parser need.
     */
    public String whatsat(String clientId, String radiusKm, int bound) {
        send("WHATSAT " + clientId + " " + radiusKm + " " + bound);
        return readWhatsAtReply();
    }

    /** Sends one line; the {@code \n} is added. */
    public void send(String line) {
        sendRaw((line + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Sends bytes exactly as given. */
    public void sendRaw(byte[] bytes) {
        try {
            out.write(bytes);
            out.flush();
        } catch (IOException e) {
            throw new UncheckedIOException("send failed", e);
        }
    }

    /** Shuts down the sending side: the server answers what it owes, then closes. */
    public void halfClose() {
        try {
            socket.shutdownOutput();
        } catch (IOException e) {
            throw new UncheckedIOException("half-close failed", e);
        }
    }

    /** Reads one line without its {@code \n}, as UTF-8. */
    public String readLine() {
        return new String(readLineBytes(), StandardCharsets.UTF_8);
    }

    /** Reads one line without its {@code \n}, as bytes. */
    public byte[] readLineBytes() {
        ByteArrayOutputStream line = new ByteArrayOutputStream(128);
        try {
            for (int b; (b = in.read()) != '\n'; ) {
                if (b < 0) {
                    throw new AssertionError("connection closed before the end of a line; got: "
                            + line.toString(StandardCharsets.UTF_8));
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new AssertionError("no full line within the read timeout; got: " + line.toString(StandardCharsets.UTF_8), e);
        } catch (IOException e) {
            throw new UncheckedIOException("read failed", e);
        }
        return line.toByteArray();
    }

    /**
     * Reads the reply to a WHATSAT: the AT line and JSON up to and including the blank line that ends
     * it, or a single {@code ? } line. Returns it with its newlines.
     */
    public String readWhatsAtReply() {
        String first = readLine();
        if (!first.startsWith("AT ")) {
            return first + "\n";
        }
        StringBuilder reply = new StringBuilder(first).append('\n');
        for (String line; !(line = readLine()).isEmpty(); ) {
            reply.append(line).append('\n');
        }
        return reply.append('\n').toString();
    }

    /** Reads until the server closes the connection; fails if it does not within the read timeout. */
    public String readToEnd() {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (SocketTimeoutException e) {
            throw new AssertionError("server did not close the connection within the read timeout", e);
        } catch (IOException e) {
            throw new UncheckedIOException("read failed", e);
        }
    }

    @Override
    public void close() {
        closeQuietly(socket);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is best effort; the test is over with this connection either way.
        }
    }
}
