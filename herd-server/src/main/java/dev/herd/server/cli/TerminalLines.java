package dev.herd.server.cli;

import org.jline.reader.EndOfFileException;
import org.jline.reader.LineReader;
import org.jline.reader.LineReaderBuilder;
import org.jline.reader.UserInterruptException;
import org.jline.reader.impl.completer.StringsCompleter;
import org.jline.terminal.Terminal;
import org.jline.terminal.TerminalBuilder;
import org.jspecify.annotations.Nullable;

import java.io.IOException;
import java.nio.file.Path;

/**
 * Lines typed at a terminal, read with JLine: editing, history kept in {@code ~/.herd_cli_history}, Tab
 * completion of the commands. JLine rather than our own: line editing is a terminal library's job.
 */
final class TerminalLines implements HerdCli.LineSource {
    private final Terminal terminal;
    private final LineReader reader;
    private final String prompt;

    TerminalLines(String prompt) throws IOException {
        this.prompt = prompt;
        this.terminal = TerminalBuilder.builder().system(true).build();
        this.reader = LineReaderBuilder.builder()
                .terminal(terminal)
                .appName("herd cli")
                .completer(new StringsCompleter("IAMAT", "WHATSAT", "help", "quit"))
                .variable(LineReader.HISTORY_FILE, Path.of(System.getProperty("user.home"), ".herd_cli_history"))
                .build();
    }

    @Override
    public @Nullable String next() {
        while (true) {
            try {
                return reader.readLine(prompt);
            } catch (UserInterruptException e) {
                continue; // Ctrl-C drops the line being typed, as in a shell
            } catch (EndOfFileException e) {
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        reader.getHistory().save();
        terminal.close();
    }
}
