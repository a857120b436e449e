package dev.herd.server.config;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import java.util.Set;

/** Where a server's herd secret comes from: {@code HERD_SECRET}, else the config's {@code secret_file}, else none. */
public final class HerdSecrets {
    private HerdSecrets() {
    }

    /** HERD_SECRET if set ({@code fromEnvironment}), else the secret_file of {@code configFile}, else null. */
    public static HerdSecret read(String fromEnvironment, Path configFile) throws ConfigException {
        if (fromEnvironment != null && !fromEnvironment.isEmpty()) {
            return herdSecret("HERD_SECRET", fromEnvironment);
        }
        if (configFile == null) {
            return null;
        }
        Optional<Path> file = TopologyFile.secretFile(configFile);
        if (file.isEmpty()) {
            return null;
        }
        try {
            refuseIfOthersCanRead(file.get());
            byte[] bytes = Files.readAllBytes(file.get());
            String text = new String(bytes, StandardCharsets.UTF_8).strip();
            if (text.isEmpty()) {
                throw new ConfigException("secret_file " + file.get() + ": empty");
            }
            return herdSecret("secret_file " + file.get(), text);
        } catch (IOException e) {
            throw new ConfigException("secret_file " + file.get() + ": cannot read (" + e.getClass().getSimpleName() + ")");
        }
    }

    private static HerdSecret herdSecret(String where, String text) throws ConfigException {
        try {
            return new HerdSecret(text.getBytes(StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new ConfigException(where + ": " + e.getMessage());
        }
    }

    /** As ssh refuses a private key others can read: a secret in a file anyone may read is no secret. */
    private static void refuseIfOthersCanRead(Path file) throws ConfigException, IOException {
        if (!file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            return; // no owner/group/others permissions to check on this file system
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.contains(PosixFilePermission.GROUP_READ)
                || permissions.contains(PosixFilePermission.OTHERS_READ)) {
            throw new ConfigException("secret_file " + file + ": readable by group or others ("
                    + PosixFilePermissions.toString(permissions) + "); chmod 600 " + file);
        }
    }
}
