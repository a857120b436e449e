package dev.herd.server.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the JSON topology of a {@code --config} file:
 * {@code {"servers": {"Hill": {"host": "127.0.0.1", "port": 12205, "peers": ["Jaquez", "Smith"]}, ...}}}
 * (each server may add {@code "peer_port"}: where its peers link to it, the client port + 2000 if absent;
 * {@code "admin_port"}: a port, or {@code "off"}; the client port + 1000 if absent;
 * and {@code "admin_host"}: where the admin endpoint listens, the server's host if absent).
 * Unknown keys are refused, so a typo cannot silently fall back to a default.
 */
public final class TopologyFile {
    private static final Set<String> SERVER_KEYS = Set.of("host", "port", "peers", "peer_port", "admin_port", "admin_host",
            "advertise");
    /** Optional top-level key: a file holding the herd secret, relative to the config file. */
    static final String SECRET_FILE = "secret_file";
    /** Optional top-level key: {"certificate": ..., "key": ..., "trust": ...}, PEM files relative to the config. */
    static final String TLS = "tls";
    /** Optional top-level key: {"file_size": "64m", "files": 8}, the protocol log's rotation. */
    static final String LINES_LOG = "lines_log";
    /** Optional top-level key: "flood" (the default) or "tree", how updates pass between servers. */
    static final String DISSEMINATION = "dissemination";

    private TopologyFile() {
    }

    public static Topology read(Path file) throws ConfigException {
        Map<String, Object> root = root(file);
        try {
            return topology(root);
        } catch (ConfigException e) {
            throw new ConfigException("config " + file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code secret_file} a config names, resolved against the config's folder, if any. */
    public static Optional<Path> secretFile(Path configFile) throws ConfigException {
        Object file = root(configFile).get(SECRET_FILE);
        if (file == null) {
            return Optional.empty();
        }
        if (!(file instanceof String name) || name.isEmpty()) {
            throw new ConfigException("config " + configFile + ": " + SECRET_FILE + ": " + JsonText.show(file) + " (expected: a file name)");
        }
        return Optional.of(configFile.toAbsolutePath().getParent().resolve(name));
    }

    /** The protocol log's rotation a config sets ({@code "lines_log"}), each part defaulted if absent. */
    public static Optional<LinesLog> linesLog(Path configFile) throws ConfigException {
        Object value = root(configFile).get(LINES_LOG);
        if (value == null) {
            return Optional.empty();
        }
        String at = "config " + configFile + ": " + LINES_LOG;
        if (!(value instanceof Map<?, ?> node)) {
            throw new ConfigException(at + ": " + JsonText.show(value) + " (expected: {\"file_size\": \"64m\", \"files\": 8})");
        }
        for (Object key : node.keySet()) {
            if (!"file_size".equals(key) && !"files".equals(key)) {
                throw new ConfigException(at + ": unknown key \"" + key + "\" (expected: file_size, files)");
            }
        }
        long size = LinesLog.DEFAULT.fileBytes();
        Object fileSize = node.get("file_size");
        if (fileSize instanceof Long n) {
            size = n;
        } else if (fileSize instanceof String text) {
            size = ByteSize.parse(text, at + ".file_size");
        } else if (fileSize != null) {
            throw new ConfigException(at + ".file_size: " + JsonText.show(fileSize) + " (expected: bytes, such as \"64m\")");
        }
        int files = LinesLog.DEFAULT.files();
        Object count = node.get("files");
        if (count instanceof Long n && n >= 1 && n <= 1000) {
            files = n.intValue();
        } else if (count != null) {
            throw new ConfigException(at + ".files: " + JsonText.show(count) + " (expected: 1 to 1000)");
        }
        return Optional.of(new LinesLog(size, files));
    }

    /** How a config says updates pass between servers ({@code "dissemination"}), if it says. */
    public static Optional<Dissemination> dissemination(Path configFile) throws ConfigException {
        Object value = root(configFile).get(DISSEMINATION);
        if (value == null) {
            return Optional.empty();
        }
        try {
            if (!(value instanceof String text)) {
                throw new ConfigException(DISSEMINATION + ": " + JsonText.show(value) + " (expected: \"flood\" or \"tree\")");
            }
            return Optional.of(Dissemination.parse(text));
        } catch (ConfigException e) {
            throw new ConfigException("config " + configFile + ": " + e.getMessage(), e);
        }
    }

    /** The TLS files a config names, resolved against the config's folder, if any. */
    public static Optional<HerdConfig.Tls> tls(Path configFile) throws ConfigException {
        Object tls = root(configFile).get(TLS);
        if (tls == null) {
            return Optional.empty();
        }
        Map<?, ?> files = tls instanceof Map<?, ?> m ? m : Map.of();
        Path parent = configFile.toAbsolutePath().getParent();
        Path[] paths = new Path[3];
        String[] keys = {"certificate", "key", "trust"};
        for (int i = 0; i < keys.length; i++) {
            Object value = files.get(keys[i]);
            if (!(value instanceof String name) || name.isEmpty()) {
                throw new ConfigException("config " + configFile + ": tls." + keys[i] + ": " + JsonText.show(value)
                        + " (expected: a PEM file name)");
            }
            paths[i] = parent.resolve(name);
        }
        return Optional.of(new HerdConfig.Tls(paths[0], paths[1], paths[2]));
    }

    public static Topology parse(String json) throws ConfigException {
        return topology(object(json));
    }

    private static Map<String, Object> root(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("config " + file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return object(text);
        } catch (ConfigException e) {
            throw new ConfigException("config " + file + ": " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> object(String json) throws ConfigException {
        Object root = Json.parse(json);
        if (!(root instanceof Map<?, ?>)) {
            throw new ConfigException("expected a JSON object with \"servers\"");
        }
        return (Map<String, Object>) root;
    }

    private static Topology topology(Map<String, Object> root) throws ConfigException {
        for (String key : root.keySet()) {
            if (!key.equals("servers") && !key.equals(SECRET_FILE) && !key.equals(TLS) && !key.equals(LINES_LOG)
                    && !key.equals(DISSEMINATION)) {
                throw new ConfigException("unknown key \"" + key + "\" (expected: servers, " + SECRET_FILE + ", " + TLS
                        + ", " + LINES_LOG + ", " + DISSEMINATION + ")");
            }
        }
        if (!(root.get("servers") instanceof Map<?, ?> servers)) {
            throw new ConfigException("servers: missing or not an object (expected: {\"Hill\": {...}, ...})");
        }
        List<ServerSpec> specs = new ArrayList<>();
        for (Map.Entry<?, ?> entry : servers.entrySet()) {
            specs.add(server((String) entry.getKey(), entry.getValue()));
        }
        return Topology.of(specs);
    }

    private static ServerSpec server(String name, Object value) throws ConfigException {
        String at = "servers." + name;
        if (!(value instanceof Map<?, ?> node)) {
            throw new ConfigException(at + ": not an object (expected: {\"host\": ..., \"port\": ..., \"peers\": [...]})");
        }
        for (Object key : node.keySet()) {
            if (!SERVER_KEYS.contains(key)) {
                throw new ConfigException(at + ": unknown key \"" + key + "\" (expected: host, port, peers, peer_port,"
                        + " admin_port, admin_host, advertise)");
            }
        }
        Object host = node.get("host");
        String hostText = host == null ? "127.0.0.1" : host instanceof String s ? s : null;
        if (hostText == null) {
            throw new ConfigException(at + ".host: " + JsonText.show(host) + " (expected: a string)");
        }
        int port = port(at + ".port", node.get("port"));
        if (!(node.get("peers") instanceof List<?> peers)) {
            throw new ConfigException(at + ".peers: " + JsonText.show(node.get("peers")) + " (expected: an array of server names)");
        }
        List<String> peerNames = new ArrayList<>();
        for (Object peer : peers) {
            if (!(peer instanceof String peerName)) {
                throw new ConfigException(at + ".peers: " + JsonText.show(peer) + " (expected: a server name string)");
            }
            peerNames.add(peerName);
        }
        Object adminHost = node.get("admin_host");
        if (adminHost != null && (!(adminHost instanceof String text) || text.isBlank())) {
            throw new ConfigException(at + ".admin_host: " + JsonText.show(adminHost) + " (expected: a host name or address)");
        }
        Object advertise = node.get("advertise");
        if (advertise != null && (!(advertise instanceof String text) || text.isBlank())) {
            throw new ConfigException(at + ".advertise: " + JsonText.show(advertise) + " (expected: the host name or address peers reach it at)");
        }
        int peerPort = node.containsKey("peer_port") ? port(at + ".peer_port", node.get("peer_port"))
                : ServerSpec.defaultPeerPort(port);
        return new ServerSpec(name, hostText, port, peerNames, peerPort, adminPort(at, node.get("admin_port"), port),
                adminHost == null ? hostText : (String) adminHost, advertise == null ? hostText : (String) advertise);
    }

    /** A port: a whole number from 1 to 65535. */
    private static int port(String at, Object value) throws ConfigException {
        if (!(value instanceof Long n)) {
            throw new ConfigException(at + ": " + JsonText.show(value) + " (expected: 1-65535)");
        }
        if (n < 1 || n > 65535) {
            throw new ConfigException(at + ": " + n + " (expected: 1-65535)");
        }
        return n.intValue();
    }

    /** {@code admin_port}: a port, or "off"; absent, the client port + 1000. */
    private static int adminPort(String at, Object value, int port) throws ConfigException {
        if (value == null) {
            return ServerSpec.defaultAdminPort(port);
        }
        if ("off".equals(value)) {
            return ServerSpec.ADMIN_OFF;
        }
        if (!(value instanceof Long n) || n < 1 || n > 65535) {
            throw new ConfigException(at + ".admin_port: " + JsonText.show(value) + " (expected: 1-65535, or \"off\")");
        }
        return n.intValue();
    }
}
