package dev.herd.testkit;

/**
 * Gives in-process servers their own log files ({@link Herd#log}) in a test JVM that has no log4j2
 * configuration of its own: the herd's routing configuration, shipped in herd-server, is used then.
 * A project's own {@code log4j2-test.xml} or {@code log4j2.configurationFile} always wins.
 */
final class ServerLogs {
    private static final String PROPERTY = "log4j2.configurationFile";
    private static final String[] OWN_CONFIGS = {
        "log4j2-test.properties", "log4j2-test.xml", "log4j2-test.json", "log4j2-test.yaml",
        "log4j2.properties", "log4j2.xml", "log4j2.json", "log4j2.yaml",
    };

    private ServerLogs() {
    }

    /** Must run before log4j2 starts to have any effect; the first herd of a JVM does that. */
    static synchronized void useHerdConfigurationUnlessConfigured() {
        if (System.getProperty(PROPERTY) != null) {
            return;
        }
        ClassLoader loader = Thread.currentThread().getContextClassLoader();
        for (String name : OWN_CONFIGS) {
            if (loader != null && loader.getResource(name) != null) {
                return;
            }
        }
        System.setProperty(PROPERTY, "herd-log4j2.xml");
    }
}
