package dev.herd.server;

import dev.herd.testing.FreePorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A client port handed to the server on standard input, already listening, as inetd, systemd's
 * {@code StandardInput=socket} and {@code tools/graders/server.py} hand one over: a small Python
 * program makes the port listen, puts it on descriptor 0 and becomes the server (exec), so clients can
 * connect from the program's first milliseconds, long before a JVM could listen.
 */
@Timeout(60)
class InheritedSocketProcessTest {
    private static final String WRAPPER = String.join("\n",
            "import os, socket, sys",
            "s = socket.socket()",
            "s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)",
            "s.bind(('127.0.0.1', int(sys.argv[1])))",
            "s.listen(64)",
            "os.dup2(s.fileno(), 0)",
            "os.execv(sys.argv[2], sys.argv[2:])", "");

    @Test
    void theListeningSocketOnStandardInputIsTheClientPort(@TempDir Path dir) throws Exception {
        assumeTrue(pythonIsInstalled(), "python3 is not installed (.ci/run installs it)");
        int[] ports = FreePorts.distinct(2);
        Path config = config(dir, ports[0], ports[1]);
        Process p = launchOnSocket(dir, ports[0], config);
        try {
            long started = System.nanoTime();
            try (Socket s = MainProcessTest.connectWithin(ports[0], 5_000)) {
                System.out.println("the handed-over port accepted " + (System.nanoTime() - started) / 1_000_000 + " ms after launch");
                s.setSoTimeout(20_000);
                OutputStream out = s.getOutputStream();
                out.write("IAMAT kiwi +34-118 1\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertThat(new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                        .startsWith("AT Solo +").endsWith(" kiwi +34-118 1\n");
            }
            // The wrapper became the server: the process that holds the port is the one that answers
            // (tools that stop a server by its port, lsof -ti:PORT | xargs kill, stop the server).
            assertThat(ProcessHandle.of(p.pid()).flatMap(h -> h.info().command())).get().asString().endsWith("java");
        } finally {
            p.destroy();
            assertThat(p.waitFor(20, TimeUnit.SECONDS)).as("stopped on SIGTERM").isTrue();
        }
        assertThat(p.exitValue()).isZero();
        assertThat(Files.readString(dir.resolve("logs").resolve("Solo.log")))
                .contains("client port /127.0.0.1:" + ports[0] + " taken over from the socket listening on standard input");
        try (ServerSocket again = new ServerSocket()) {
            again.setReuseAddress(true);
            again.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), ports[0]));
            assertThat(again.isBound()).as("the port is free once the server stopped").isTrue();
        }
    }

    @Test
    void aSocketListeningOnAnotherPortIsRefusedWithOneLine(@TempDir Path dir) throws Exception {
        assumeTrue(pythonIsInstalled(), "python3 is not installed (.ci/run installs it)");
        int[] ports = FreePorts.distinct(3);
        Process p = launchOnSocket(dir, ports[2], config(dir, ports[0], ports[1]));
        assertThat(p.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).isEqualTo(2);
        assertThat(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo(
                "herd-server: cannot listen on 127.0.0.1:" + ports[0] + ": standard input is a socket listening on /127.0.0.1:"
                        + ports[2] + ", not on Solo's client port " + ports[0] + "\n");
    }

    private static Path config(Path dir, int port, int peerPort) throws IOException {
        Path config = dir.resolve("one.json");
        Files.writeString(config, "{\"servers\": {\"Solo\": {\"host\": \"127.0.0.1\", \"port\": " + port + ", \"peer_port\": "
                + peerPort + ", \"admin_port\": \"off\", \"peers\": []}}}");
        return config;
    }

    private static Process launchOnSocket(Path dir, int port, Path config) throws IOException {
        List<String> command = new ArrayList<>(List.of("python3", "-c", WRAPPER, Integer.toString(port),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), Main.class.getName(),
                "Solo", "--config", config.toString(), "--log-dir", dir.resolve("logs").toString(),
                "--places-url", "http://127.0.0.1:9/unused"));
        return new ProcessBuilder(command).directory(dir.toFile()).redirectOutput(dir.resolve("out.txt").toFile()).start();
    }

    private static boolean pythonIsInstalled() {
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
