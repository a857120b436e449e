package dev.herd.server.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

import java.io.PrintStream;

/** Prints replies for people: WHATSAT's JSON re-indented (two spaces), or with --raw each byte as received. */
final class ReplyPrinter {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** Two spaces a level, and each array element on a line of its own (Jackson's default keeps arrays on one line). */
    private static final ObjectWriter PRETTY = JSON.writer(new DefaultPrettyPrinter()
            .withArrayIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n"))
            .withObjectIndenter(DefaultIndenter.SYSTEM_LINEFEED_INSTANCE.withLinefeed("\n")));

    private final PrintStream out;
    private final boolean raw;

    ReplyPrinter(PrintStream out, boolean raw) {
        this.out = out;
        this.raw = raw;
    }

    void print(CliConnection.Reply reply) {
        if (raw || !reply.hasJson()) {
            for (byte[] line : reply.lines()) {
                out.write(line, 0, line.length);
                out.write('\n');
            }
            out.flush();
            return;
        }
        byte[] record = reply.lines().get(0);
        out.write(record, 0, record.length);
        out.write('\n');
        String json = reply.json();
        try {
            out.println(PRETTY.writeValueAsString(JSON.readTree(json)));
        } catch (JsonProcessingException e) {
            out.print(json); // not JSON after all: shown as it came
        }
        out.flush();
    }
}
