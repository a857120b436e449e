package dev.herd.server.peer;

import dev.herd.server.internal.Backoff;
import dev.herd.server.log.ServerLog;
import io.netty.bootstrap.Bootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.EventLoop;
import io.netty.util.concurrent.ScheduledFuture;
import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

/**
 * Keeps one peer link connected, as Lettuce's ConnectionWatchdog does: connects, and after a failed
 * attempt or a lost link tries again with capped exponential backoff and jitter, resolving the peer's
 * address again each attempt; tries at once when the peer is known to be up ({@link #kick}). Confined
 * to the link's loop but for {@link #kick}.
 */
final class LinkWatchdog {
    private static final ServerLog LOG = ServerLog.of(LinkWatchdog.class);

    /**
     * What the watchdog keeps connected: whether it is closed for good (no more attempts), whether a
     * channel is open now (nothing to do for a kick), and what to do with a channel an attempt opened.
     */
    record Link(BooleanSupplier isClosed, BooleanSupplier isConnected, Connected connected) {
    }

    /** An attempt succeeded after {@code failedAttempts} failures: {@code channel} is the link's now. */
    interface Connected {
        void accept(Channel channel, InetSocketAddress target, int failedAttempts);
    }

    private final String peer;
    private final Supplier<@Nullable InetSocketAddress> address;
    private final Bootstrap bootstrap;
    private final EventLoop loop;
    private final Backoff backoff;
    private final Link link;
    private int failures;
    /** A connect attempt is under way. */
    private boolean connecting;
    private @Nullable ScheduledFuture<?> retry;

    LinkWatchdog(String peer, Supplier<@Nullable InetSocketAddress> address, Bootstrap bootstrap, EventLoop loop,
                 Backoff backoff, Link link) {
        this.peer = peer;
        this.address = address;
        this.bootstrap = bootstrap;
        this.loop = loop;
        this.backoff = backoff;
        this.link = link;
    }

    /** Attempts to connect now. */
    void connect() {
        if (link.isClosed().getAsBoolean()) {
            return;
        }
        InetSocketAddress target = address.get();
        if (target == null) {
            retry("address unknown");
            return;
        }
        connecting = true;
        ChannelFuture attempt = bootstrap.clone().attr(PeerLink.TARGET, target).connect(target);
        attempt.addListener((ChannelFuture f) -> {
            connecting = false;
            if (!f.isSuccess()) {
                retry(f.cause().toString());
                return;
            }
            if (link.isClosed().getAsBoolean()) {
                f.channel().close();
                return;
            }
            link.connected().accept(f.channel(), target, failures);
            failures = 0;
        });
    }

    /**
     * The peer just linked to this server, so it is up: if the link is down and waiting out its
     * backoff, try now rather than later. Any thread.
     */
    void kick() {
        loop.execute(() -> {
            if (link.isClosed().getAsBoolean() || link.isConnected().getAsBoolean() || connecting) {
                return;
            }
            cancel();
            LOG.debug("peer link to {}: the peer linked to this server; retrying at once", peer);
            connect();
        });
    }

    /** An attempt failed or the link was lost, for {@code reason}: tries again after the backoff. */
    void retry(String reason) {
        if (link.isClosed().getAsBoolean()) {
            return;
        }
        failures++;
        long delay = backoff.delayMillis(failures);
        // One line when a link goes down and one when it is back; the attempts between are DEBUG,
        // except a reminder every 240 failures (about every minute at the 250 ms cap).
        if (failures == 1 || failures % 240 == 0) {
            LOG.info("peer link to {} unavailable ({}), attempt {}; retrying in {} ms", peer, reason, failures, delay);
        } else {
            LOG.debug("peer link to {} unavailable ({}), attempt {}; retrying in {} ms", peer, reason, failures, delay);
        }
        retry = loop.schedule(this::connect, delay, TimeUnit.MILLISECONDS);
    }

    /** Cancels a retry that is waiting. */
    void cancel() {
        if (retry != null) {
            retry.cancel(false);
        }
    }
}
