package dev.herd.server.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the JSON topology of a {@code --config} file:
 * {@code {"servers": {"Hill": {"host": "127.0.0.1", "port": 12205, "peers": ["Jaquez", "Smith"]}, ...}}}
 * (each server may add {@code "admin_port"}: a port, or {@code "off"}; the client port + 1000 if absent;
 * and {@code "admin_host"}: where the admin endpoint listens, the server's host if absent).
 * Unknown keys are refused, so a typo cannot silently fall back to a default.
 */
public final class TopologyFile {
    private static final Set<String> SERVER_KEYS = Set.of("host", "port", "peers", "admin_port", "admin_host");
    /** Optional top-level key: a file holding the herd secret, relative to the config file. */
    static final String SECRET_FILE = "secret_file";
    /** Optional top-level key: {"certificate": ..., "key": ..., "trust": ...}, PEM files relative to the config. */
    static final String TLS = "tls";

    private TopologyFile() {
    }

    public static Topology read(Path file) throws ConfigException {
        String text;
        try {
            text = Files.readString(file);
        } catch (NoSuchFileException e) {
            throw new ConfigException("config " + file + ": no such file");
        } catch (IOException e) {
            throw new ConfigException("config " + file + ": cannot read: " + e.getMessage(), e);
        }
        try {
            return parse(text);
        } catch (ConfigException e) {
            throw new ConfigException("config " + file + ": " + e.getMessage(), e);
        }
    }

    /** The {@code secret_file} a config names, resolved against the config's folder, if any. */
    public static Optional<Path> secretFile(Path configFile) throws ConfigException {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(configFile));
            JsonNode file = root == null ? null : root.get(SECRET_FILE);
            if (file == null) {
                return Optional.empty();
            }
            if (!file.isTextual() || file.asText().isEmpty()) {
                throw new ConfigException("config " + configFile + ": " + SECRET_FILE + ": " + file + " (expected: a file name)");
            }
            Path parent = configFile.toAbsolutePath().getParent();
            return Optional.of(parent.resolve(file.asText()));
        } catch (IOException e) {
            throw new ConfigException("config " + configFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The TLS files a config names, resolved against the config's folder, if any. */
    public static Optional<HerdConfig.Tls> tls(Path configFile) throws ConfigException {
        try {
            JsonNode root = new ObjectMapper().readTree(Files.readString(configFile));
            JsonNode tls = root == null ? null : root.get(TLS);
            if (tls == null) {
                return Optional.empty();
            }
            Path parent = configFile.toAbsolutePath().getParent();
            Path[] files = new Path[3];
            String[] keys = {"certificate", "key", "trust"};
            for (int i = 0; i < keys.length; i++) {
                JsonNode value = tls.get(keys[i]);
                if (value == null || !value.isTextual() || value.asText().isEmpty()) {
                    throw new ConfigException("config " + configFile + ": tls." + keys[i] + ": " + value + " (expected: a PEM file name)");
                }
                files[i] = parent.resolve(value.asText());
            }
            return Optional.of(new HerdConfig.Tls(files[0], files[1], files[2]));
        } catch (IOException e) {
            throw new ConfigException("config " + configFile + ": cannot read: " + e.getMessage(), e);
        }
    }

    public static Topology parse(String json) throws ConfigException {
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(json);
        } catch (JsonProcessingException e) {
            throw new ConfigException("not valid JSON: " + e.getOriginalMessage()
                    + " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (root == null || !root.isObject()) {
            throw new ConfigException("expected a JSON object with \"servers\"");
        }
        for (Iterator<String> keys = root.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!key.equals("servers") && !key.equals(SECRET_FILE) && !key.equals(TLS)) {
                throw new ConfigException("unknown key \"" + key + "\" (expected: servers, " + SECRET_FILE + ", " + TLS + ")");
            }
        }
        JsonNode servers = root.get("servers");
        if (servers == null || !servers.isObject()) {
            throw new ConfigException("servers: missing or not an object (expected: {\"Hill\": {...}, ...})");
        }
        List<ServerSpec> specs = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = servers.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            specs.add(server(entry.getKey(), entry.getValue()));
        }
        return Topology.of(specs);
    }

    private static ServerSpec server(String name, JsonNode node) throws ConfigException {
        String at = "servers." + name;
        if (!node.isObject()) {
            throw new ConfigException(at + ": not an object (expected: {\"host\": ..., \"port\": ..., \"peers\": [...]})");
        }
        for (Iterator<String> keys = node.fieldNames(); keys.hasNext(); ) {
            String key = keys.next();
            if (!SERVER_KEYS.contains(key)) {
                throw new ConfigException(at + ": unknown key \"" + key + "\" (expected: host, port, peers, admin_port, admin_host)");
            }
        }
        JsonNode host = node.get("host");
        String hostText = host == null ? "127.0.0.1" : host.isTextual() ? host.asText() : null;
        if (hostText == null) {
            throw new ConfigException(at + ".host: " + host + " (expected: a string)");
        }
        JsonNode port = node.get("port");
        if (port == null || !port.canConvertToInt() || !port.isIntegralNumber()) {
            throw new ConfigException(at + ".port: " + port + " (expected: 1-65535)");
        }
        if (port.asInt() < 1 || port.asInt() > 65535) {
            throw new ConfigException(at + ".port: " + port.asInt() + " (expected: 1-65535)");
        }
        JsonNode peers = node.get("peers");
        if (peers == null || !peers.isArray()) {
            throw new ConfigException(at + ".peers: " + peers + " (expected: an array of server names)");
        }
        List<String> peerNames = new ArrayList<>();
        for (JsonNode peer : peers) {
            if (!peer.isTextual()) {
                throw new ConfigException(at + ".peers: " + peer + " (expected: a server name string)");
            }
            peerNames.add(peer.asText());
        }
        JsonNode adminHost = node.get("admin_host");
        if (adminHost != null && (!adminHost.isTextual() || adminHost.asText().isBlank())) {
            throw new ConfigException(at + ".admin_host: " + adminHost + " (expected: a host name or address)");
        }
        return new ServerSpec(name, hostText, port.asInt(), peerNames, adminPort(at, node.get("admin_port"), port.asInt()),
                adminHost == null ? hostText : adminHost.asText());
    }

    /** {@code admin_port}: a port, or "off"; absent, the client port + 1000. */
    private static int adminPort(String at, JsonNode value, int port) throws ConfigException {
        if (value == null) {
            return ServerSpec.defaultAdminPort(port);
        }
        if (value.isTextual() && value.asText().equals("off")) {
            return ServerSpec.ADMIN_OFF;
        }
        if (!value.isIntegralNumber() || !value.canConvertToInt() || value.asInt() == ServerSpec.ADMIN_OFF
                || !ServerSpec.isAdminPortSetting(value.asInt())) {
            throw new ConfigException(at + ".admin_port: " + value + " (expected: 1-65535, or \"off\")");
        }
        return value.asInt();
    }
}
