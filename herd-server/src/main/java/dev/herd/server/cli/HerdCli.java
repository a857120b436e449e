package dev.herd.server.cli;

import dev.herd.server.config.ConfigException;
import dev.herd.server.config.ServerSpec;
import dev.herd.server.config.Topology;
import dev.herd.server.config.TopologyFile;
import dev.herd.server.internal.BuildInfo;
import org.jspecify.annotations.Nullable;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code ./herd cli [SERVER] [options] [LINE...]}: a client for people, as {@code redis-cli} is for
 * Redis. With words after the server it sends them as one line and prints the reply (one-shot, for
 * scripts); without, it reads lines (with editing and history on a terminal, one a line from a pipe)
 * and prints each reply. WHATSAT's JSON is re-indented unless {@code --raw}.
 */
public final class HerdCli {
    static final String USAGE = """
            Usage: ./herd cli [SERVER] [--config FILE] [--raw] [--timeout MS] [LINE...]

            Talks to one server of the herd in its client protocol.

              SERVER          a server NAME of the topology (default: its first, Hill in the default
                              herd) or HOST:PORT
              LINE...         send these words as one line, print the reply and exit, e.g.
                              ./herd cli Hill IAMAT kiwi +34.068930-118.445127 $(date +%s.%N)
                              ./herd cli Smith WHATSAT kiwi 10 3
              (no LINE)       read lines from the terminal (line editing, history in
                              ~/.herd_cli_history, Tab completes commands; "quit" or Ctrl-D ends)
                              or from a pipe, and print each reply
              --config FILE   the topology that names the servers (default: the five-server herd)
              --raw           print replies byte for byte (WHATSAT's JSON as the server wrote it,
                              and its closing blank line)
              --timeout MS    how long to wait for a reply (default 15000: a WHATSAT may wait up to
                              10 s for Places)
              -V, --version   the versions of the herd and of Java
              -h, --help      this text

            Exit codes: 0 every line was answered (one-shot: and not with "?"); 1 a "?" answer to a
            one-shot line, or the server could not be reached or stopped answering; 2 bad arguments.
            """;
    private static final int DEFAULT_TIMEOUT_MILLIS = 15_000;

    private HerdCli() {
    }

    public static void main(String[] args) {
        System.exit(run(args, System.in, System.out, System.err, System.console() != null));
    }

    /** What the command line asks for. */
    private record Options(ServerSpec server, List<String> line, boolean raw, int timeoutMillis) {
    }

    static int run(String[] args, InputStream in, PrintStream out, PrintStream err, boolean terminal) {
        Options options;
        try {
            options = options(args);
        } catch (Answered a) {
            out.print(a.getMessage());
            return 0;
        } catch (ConfigException e) {
            err.println("herd cli: " + e.getMessage());
            return 2;
        }
        ServerSpec server = options.server();
        InetSocketAddress address = new InetSocketAddress(server.advertise(), server.port());
        try (CliConnection connection = CliConnection.open(address, options.timeoutMillis())) {
            ReplyPrinter printer = new ReplyPrinter(out, options.raw());
            if (!options.line().isEmpty()) {
                CliConnection.Reply reply = connection.exchange(String.join(" ", options.line()));
                printer.print(reply);
                return reply.refused() ? 1 : 0;
            }
            String prompt = server.name() + " " + server.advertise() + ":" + server.port() + "> ";
            try (LineSource lines = terminal ? new TerminalLines(prompt) : new PipedLines(in)) {
                return converse(lines, connection, printer, terminal ? out : null);
            }
        } catch (IOException e) {
            String where = server.advertise() + ":" + server.port();
            err.println("herd cli: " + (server.name().equals(where) ? "" : server.name() + " at ") + where + ": " + e.getMessage()
                    + " (is it running? ./herd status shows the herd)");
            return 1;
        }
    }

    /** Sends each line read and prints its reply, until the end of input or "quit". */
    private static int converse(LineSource lines, CliConnection connection, ReplyPrinter printer, @Nullable PrintStream help)
            throws IOException {
        for (String line = lines.next(); line != null; line = lines.next()) {
            String command = line.strip();
            if (command.equals("quit") || command.equals("exit")) {
                break;
            }
            if (help != null && (command.equals("help") || command.equals("?"))) {
                help.print(USAGE);
                continue;
            }
            if (help != null && command.isEmpty()) {
                continue;
            }
            printer.print(connection.exchange(line));
        }
        return 0;
    }

    private static Options options(String[] args) throws ConfigException {
        Path config = null;
        boolean raw = false;
        int timeout = DEFAULT_TIMEOUT_MILLIS;
        List<String> words = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (words.size() > 1) {
                words.add(a); // past SERVER and a command word: the line's own words, even if they look like options
                continue;
            }
            switch (a) {
                case "-h", "--help" -> throw new Answered(USAGE);
                case "-V", "--version" -> throw new Answered(BuildInfo.versionLine("herd cli") + "\n");
                case "--raw" -> raw = true;
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--timeout" -> timeout = millis(value(args, ++i, a));
                default -> words.add(a);
            }
        }
        Topology topology = config == null ? Topology.defaultHerd() : TopologyFile.read(config);
        ServerSpec server = topology.servers().iterator().next();
        if (!words.isEmpty()) {
            ServerSpec named = server(topology, words.get(0));
            if (named != null) {
                server = named;
                words.remove(0);
            } else if (!words.get(0).equals(words.get(0).toUpperCase(Locale.ROOT)) || words.size() == 1) {
                throw new ConfigException("no server " + words.get(0) + " in the topology (servers: "
                        + String.join(", ", topology.names()) + "; or HOST:PORT)");
            }
        }
        return new Options(server, List.copyOf(words), raw, timeout);
    }

    /** The server {@code word} names: a NAME of the topology or HOST:PORT; null if it names none (a command word). */
    private static @Nullable ServerSpec server(Topology topology, String word) throws ConfigException {
        for (ServerSpec s : topology.servers()) {
            if (s.name().equals(word)) {
                return s;
            }
        }
        int colon = word.lastIndexOf(':');
        if (colon < 1) {
            return null;
        }
        try {
            int port = Integer.parseInt(word.substring(colon + 1));
            if (port < 1 || port > 65535) {
                throw new NumberFormatException();
            }
            return new ServerSpec(word, word.substring(0, colon), port, List.of());
        } catch (NumberFormatException e) {
            throw new ConfigException(word + ": expected HOST:PORT with a port from 1 to 65535");
        }
    }

    private static String value(String[] args, int i, String option) throws ConfigException {
        if (i >= args.length) {
            throw new ConfigException(option + ": missing value");
        }
        return args[i];
    }

    private static int millis(String text) throws ConfigException {
        try {
            int n = Integer.parseInt(text);
            if (n < 1) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new ConfigException("--timeout: " + text + " (expected: milliseconds, 1 or more)");
        }
    }

    /** --help or --version: an answer, not an error. */
    private static final class Answered extends RuntimeException {
        Answered(String text) {
            super(text, null, false, false);
        }
    }

    /** Where the lines to send come from. */
    interface LineSource extends AutoCloseable {
        /** The next line, or null at the end of input. */
        @Nullable String next() throws IOException;

        @Override
        void close() throws IOException;
    }

    /** Lines from a pipe or a file: no prompt, no history. */
    private static final class PipedLines implements LineSource {
        private final BufferedReader in;

        PipedLines(InputStream in) {
            this.in = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        }

        @Override
        public @Nullable String next() throws IOException {
            return in.readLine();
        }

        @Override
        public void close() {
            // The caller's stream: not ours to close.
        }
    }
}
