package io.livedesk.bench;

/**
 * Sets java.util.logging and logback to WARN: the jar's logging configuration is the signaling
 * node's, and per-endpoint or per-tap lines would drown a benchmark's numbers.
 */
public final class QuietLogs {
    private QuietLogs() {
    }

    public static void apply() {
        java.util.logging.Logger jul = java.util.logging.Logger.getLogger("");
        jul.setLevel(java.util.logging.Level.WARNING);
        for (java.util.logging.Handler h : jul.getHandlers()) {
            h.setLevel(java.util.logging.Level.WARNING);
        }
        try {
            Object root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
            Class<?> level = Class.forName("ch.qos.logback.classic.Level");
            root.getClass().getMethod("setLevel", level).invoke(root, level.getField("WARN").get(null));
        } catch (ReflectiveOperationException | RuntimeException e) {
            // not logback: leave it
        }
    }
}
