package dev.herd.server.config;

/** A configuration the server cannot start with. The message names the value and what was expected. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public ConfigException(String message, Throwable cause) {
        super(message, cause);
    }
}
