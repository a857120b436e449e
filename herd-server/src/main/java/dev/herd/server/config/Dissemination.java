package dev.herd.server.config;

import java.util.Locale;

/**
 * How a server passes updates on to its peers, herd-wide ({@code "dissemination"} in the config file).
 * {@link #FLOOD}, the default: every update on every link but the one it came from. {@link #TREE}:
 * along the herd's spanning tree, with short notices on the other links and asks for what a notice
 * announced and the tree did not bring.
 */
public enum Dissemination {
    FLOOD, TREE;

    /** The setting as the config file spells it: {@code flood} or {@code tree}. */
    public String spelling() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The setting spelled {@code text}. */
    public static Dissemination parse(String text) throws ConfigException {
        for (Dissemination d : values()) {
            if (d.spelling().equals(text)) {
                return d;
            }
        }
        throw new ConfigException("dissemination: \"" + text + "\" (expected: \"flood\" or \"tree\")");
    }
}
