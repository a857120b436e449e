package dev.herd.server.cli;

import dev.herd.protocol.At;
import dev.herd.protocol.MessageParser;
import dev.herd.protocol.WhatsAt;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The CLI's connection to one server: a plain blocking socket (one person, one line at a time), every
 * read bounded by the timeout. It knows where a reply ends from the protocol: one line, or for a
 * WHATSAT answered with a record, the record, the JSON and a blank line.
 */
final class CliConnection implements AutoCloseable {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** A reply: its lines as received, without their line ends. */
    record Reply(List<byte[]> lines) {
        /** The first line is {@code ?} and the line: the server refused it. */
        boolean refused() {
            byte[] first = lines.get(0);
            return first.length > 0 && first[0] == '?';
        }

        /** The JSON of a WHATSAT reply (every line after the record, the closing blank line left out). */
        String json() {
            StringBuilder json = new StringBuilder();
            for (int i = 1; i < lines.size() - 1; i++) {
                json.append(new String(lines.get(i), StandardCharsets.UTF_8)).append('\n');
            }
            return json.toString();
        }

        boolean hasJson() {
            return lines.size() > 2;
        }
    }

    private CliConnection(Socket socket) throws IOException {
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
    }

    static CliConnection open(InetSocketAddress address, int timeoutMillis) throws IOException {
        if (address.isUnresolved()) {
            throw new IOException("cannot resolve " + address.getHostString());
        }
        Socket socket = new Socket();
        try {
            socket.connect(address, timeoutMillis);
            socket.setSoTimeout(timeoutMillis);
            socket.setTcpNoDelay(true);
            return new CliConnection(socket);
        } catch (IOException e) {
            socket.close();
            throw new IOException("cannot connect (" + e.getMessage() + ")", e);
        }
    }

    /** Sends {@code line} and reads its whole reply. */
    Reply exchange(String line) throws IOException {
        byte[] bytes = (line + "\n").getBytes(StandardCharsets.UTF_8);
        out.write(bytes);
        out.flush();
        List<byte[]> lines = new ArrayList<>();
        byte[] first = readLine();
        lines.add(first);
        // Only a WHATSAT answered with a record goes on: its JSON, then a blank line.
        if (MessageParser.parse(line) instanceof WhatsAt && MessageParser.parse(first) instanceof At) {
            for (byte[] next = readLine(); ; next = readLine()) {
                lines.add(next);
                if (next.length == 0) {
                    break;
                }
            }
        }
        return new Reply(lines);
    }

    private byte[] readLine() throws IOException {
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        try {
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new EOFException("the server closed the connection");
                }
                line.write(b);
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("no reply within " + socket.getSoTimeout() + " ms (--timeout sets the wait)", e);
        }
        byte[] bytes = line.toByteArray();
        int end = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
        return end == bytes.length ? bytes : Arrays.copyOf(bytes, end);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
