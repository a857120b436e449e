package dev.herd.server.internal;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.channel.unix.Socket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.Locale;
import java.util.concurrent.ThreadFactory;
import java.util.function.Supplier;

/**
 * The I/O transport: Java NIO, or Linux's native epoll. One place decides, so event loops and
 * channel classes always match.
 *
 * <p>NIO is the default because it listens sooner: a JDK socket binds within about 100 ms of the JVM
 * starting, while epoll first loads its native library, which on a busy two-core machine starting
 * five servers at once pushed the last one past the half second the protocol allows.
 */
public enum Transport {
    NIO, EPOLL;

    /** The transport named {@code name} ({@code nio} or {@code epoll}), if this machine has it. */
    public static Transport named(String name) {
        Transport t = Transport.valueOf(name.toUpperCase(Locale.ROOT));
        if (t == EPOLL && !Epoll.isAvailable()) {
            throw new IllegalArgumentException("epoll is not available here: " + Epoll.unavailabilityCause());
        }
        return t;
    }

    public EventLoopGroup newGroup(int threads, ThreadFactory threadFactory) {
        IoHandlerFactory io = this == EPOLL ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        return new MultiThreadIoEventLoopGroup(threads, threadFactory, io);
    }

    /**
     * Binds and listens on {@code host:port} at once, before any event loop exists, so that clients can
     * connect (into the kernel's backlog) while the rest of the server starts. Netty's channel for it
     * is made later by {@link EarlyListener#newChannel()}.
     */
    public EarlyListener listenEarly(String host, int port, int backlog) throws IOException {
        InetSocketAddress address = new InetSocketAddress(host, port);
        if (this == EPOLL) {
            Socket socket = Socket.newSocketStream();
            try {
                socket.setReuseAddress(true);
                socket.bind(address);
                socket.listen(backlog);
                InetSocketAddress bound = (InetSocketAddress) socket.localAddress();
                return new EarlyListener(bound, () -> new EpollServerSocketChannel(socket.intValue()), socket::close);
            } catch (IOException | RuntimeException e) {
                socket.close();
                throw e;
            }
        }
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, backlog);
            InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
            return new EarlyListener(bound, () -> new NioServerSocketChannel(channel), channel::close);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /**
     * A socket some other program made listen and handed to this process (on standard input, as inetd
     * and systemd's {@code StandardInput=socket} do), waiting to be handed to Netty. NIO only: the JDK
     * gives the socket as a channel, and epoll's channel would need its file descriptor.
     */
    public EarlyListener adoptEarly(ServerSocketChannel channel) throws IOException {
        if (this == EPOLL) {
            throw new IOException("a listening socket handed over on standard input needs --transport nio (the default)");
        }
        InetSocketAddress bound = (InetSocketAddress) channel.getLocalAddress();
        // Never closed here: closing an inherited channel makes the JDK point standard input, output and
        // error at /dev/null (under inetd they are the connection), which would swallow the one-line error
        // a failed start prints next. The socket is released when the process ends.
        return new EarlyListener(bound, () -> new NioServerSocketChannel(channel), () -> { });
    }

    /** A socket already listening, waiting to be handed to Netty. */
    public record EarlyListener(InetSocketAddress address, Supplier<ServerChannel> channel, Closer closer) {
        /** Netty's channel over the listening socket; call once. */
        public ServerChannel newChannel() {
            return channel.get();
        }

        /** Closes the socket if Netty never took it. */
        public void close() {
            try {
                closer.close();
            } catch (IOException e) {
                // Nothing listens on it any more either way.
            }
        }
    }

    /** Closes a socket. */
    @FunctionalInterface
    public interface Closer {
        void close() throws IOException;
    }

    public Class<? extends ServerChannel> serverChannel() {
        return this == EPOLL ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
    }

    public Class<? extends SocketChannel> socketChannel() {
        return this == EPOLL ? EpollSocketChannel.class : NioSocketChannel.class;
    }
}
