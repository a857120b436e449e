import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/**
 * The floor for start-up figures (tools/bench/startup.py): a JDK-only program that listens on the
 * port it is given and echoes one read back to each connection. What any JVM costs on this machine
 * before it can accept and answer.
 */
public final class Listen {
    public static void main(String[] args) throws Exception {
        ServerSocketChannel server = ServerSocketChannel.open();
        server.bind(new InetSocketAddress("127.0.0.1", Integer.parseInt(args[0])), 128);
        while (true) {
            try (SocketChannel c = server.accept()) {
                ByteBuffer b = ByteBuffer.allocate(1024);
                c.read(b);
                b.flip();
                c.write(b);
            }
        }
    }
}
