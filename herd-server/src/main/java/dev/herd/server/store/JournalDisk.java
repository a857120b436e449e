package dev.herd.server.store;

import java.io.IOException;
import java.nio.ByteBuffer;

/** What a journal does to its file: a test puts a disk that fills in its place. */
public interface JournalDisk extends AutoCloseable {
    long size() throws IOException;

    void write(ByteBuffer data) throws IOException;

    void force() throws IOException;

    /** Cuts the file back to {@code size} bytes. */
    void truncate(long size) throws IOException;

    @Override
    void close() throws IOException;
}
