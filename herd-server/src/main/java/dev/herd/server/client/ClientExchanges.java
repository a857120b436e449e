package dev.herd.server.client;

import dev.herd.protocol.At;
import dev.herd.protocol.Command;
import dev.herd.protocol.Message;
import dev.herd.protocol.PlacesReply;
import dev.herd.protocol.WhatsAt;
import dev.herd.server.log.LogEntry;
import dev.herd.server.log.ProtocolLog;
import dev.herd.server.metrics.HerdMetrics;
import dev.herd.server.metrics.LatencyHistogram;
import io.netty.channel.ChannelHandlerContext;
import org.jspecify.annotations.Nullable;

/**
 * Records each client exchange once, where it happens: the lines and replies counters and the protocol
 * log's line. The handlers say what happened; this says it to the counters and the log.
 */
final class ClientExchanges {
    private final HerdMetrics metrics;
    private final ProtocolLog lines;

    ClientExchanges(HerdMetrics metrics, ProtocolLog lines) {
        this.metrics = metrics;
        this.lines = lines;
    }

    /**
     * {@code received} is answered with {@code reply} (written now, or in its place in line); a reply
     * that is not a record ({@code ? } and the line) counts the line as refused.
     *
     * @param note why, in the log's brackets, or null
     */
    void answered(ChannelHandlerContext ctx, ConnectionState state, Message received, Message reply, @Nullable String note) {
        HerdMetrics.Reply kind = kindOf(reply);
        metrics.line(received, kind != HerdMetrics.Reply.INVALID);
        metrics.reply(kind);
        if (lines.enabled()) {
            LogEntry entry = lines.begin().text(state.who(ctx)).text(" <- ").received(received).text(" => ").sent(reply);
            if (note != null) {
                entry.text("   [").text(note).text("]");
            }
            entry.end();
        }
    }

    /** A WHATSAT about a known client, passed on to Places; its reply comes with {@link #placesAnswered}. */
    void asked(ChannelHandlerContext ctx, ConnectionState state, WhatsAt whatsat) {
        metrics.line(whatsat, true);
        if (lines.enabled()) {
            lines.begin().text(state.who(ctx)).text(" <- ").received(whatsat).end();
        }
    }

    /** Places answered a WHATSAT about {@code record} with {@code json}. */
    void placesAnswered(ChannelHandlerContext ctx, ConnectionState state, At record, String json) {
        metrics.reply(HerdMetrics.Reply.PLACES);
        if (lines.enabled()) {
            lines.begin().text(state.who(ctx)).text(" -> ").escaped(record.canonicalLine()).text(" + Places JSON (")
                    .text(Integer.toString(json.length())).text(" bytes)").end();
        }
    }

    /** A reply to {@code command}, read at {@code startNanos} ({@link System#nanoTime}), is ready now. */
    void took(Command command, long startNanos) {
        LatencyHistogram histogram = metrics.requestDuration(command);
        if (histogram != null) {
            histogram.record(System.nanoTime() - startNanos);
        }
    }

    private static HerdMetrics.Reply kindOf(Message reply) {
        if (reply instanceof At) {
            return HerdMetrics.Reply.AT;
        }
        return reply instanceof PlacesReply ? HerdMetrics.Reply.PLACES : HerdMetrics.Reply.INVALID;
    }
}
