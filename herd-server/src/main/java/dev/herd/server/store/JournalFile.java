package dev.herd.server.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The journal's file on disk. */
final class JournalFile implements JournalDisk {
    private final FileChannel channel;

    private JournalFile(FileChannel channel) {
        this.channel = channel;
    }

    static JournalDisk open(Path path) {
        try {
            return new JournalFile(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.APPEND));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public long size() throws IOException {
        return channel.size();
    }

    @Override
    public void write(ByteBuffer data) throws IOException {
        channel.write(data);
    }

    @Override
    public void force() throws IOException {
        channel.force(false);
    }

    @Override
    public void truncate(long size) throws IOException {
        channel.truncate(size);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
