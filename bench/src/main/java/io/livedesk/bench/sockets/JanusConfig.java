package io.livedesk.bench.sockets;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The configuration folder a benchmark Janus runs with ({@code janus -F <folder>}), written to a temporary
 * folder so that nothing in /etc/janus matters: the core ({@code janus.jcfg}), the HTTP transport on one
 * loopback port, the videoroom plugin with no rooms (the benchmark creates them). Plugin and transport folders
 * of its own hold links to just the videoroom and HTTP libraries, so Janus loads nothing else; no event
 * handlers, loggers, STUN, TURN or NAT settings. ICE gathers only {@code iceAddress}, a loopback address on an
 * interface Janus does not skip ({@link LoopbackNamespace}).
 *
 * @param libraryFolder the folder with Janus's {@code plugins/} and {@code transports/}
 * @param httpPort      the Janus API port on 127.0.0.1
 * @param iceAddress    the only address ICE may use
 * @param debugLevel    Janus's log level (0–7; 3 = warnings and errors)
 * @param eventLoops    0: Janus's default (a thread per handle); n: n shared event loops
 */
record JanusConfig(Path libraryFolder, int httpPort, String iceAddress, int debugLevel, int eventLoops) {
    static final String VIDEOROOM_LIBRARY = "libjanus_videoroom.so";
    static final String HTTP_LIBRARY = "libjanus_http.so";
    /** Janus's debug level for warnings and errors only. */
    static final int WARNINGS = 3;
    /** Where Debian and a source build put the libraries. */
    static final List<String> LIBRARY_FOLDERS = List.of("/usr/lib/x86_64-linux-gnu/janus", "/usr/lib/aarch64-linux-gnu/janus",
            "/usr/lib/janus", "/usr/local/lib/janus", "/opt/janus/lib/janus");

    JanusConfig {
        if (debugLevel < 0 || debugLevel > 7) {
            throw new IllegalArgumentException("Janus debug level is 0 to 7: " + debugLevel);
        }
        if (eventLoops < 0) {
            throw new IllegalArgumentException("event loops must be 0 or more: " + eventLoops);
        }
    }

    /** The first of {@link #LIBRARY_FOLDERS} that has the videoroom plugin. */
    static Path findLibraryFolder() {
        for (String folder : LIBRARY_FOLDERS) {
            if (Files.exists(Path.of(folder, "plugins", VIDEOROOM_LIBRARY))) {
                return Path.of(folder);
            }
        }
        throw new IllegalStateException("no Janus videoroom plugin in " + LIBRARY_FOLDERS
                + " (apt-get install janus, or --janus-lib <folder>)");
    }

    /** Writes the folder's files and links; returns the core configuration file. */
    Path write(Path folder) throws IOException {
        Path plugins = Files.createDirectories(folder.resolve("plugins"));
        Path transports = Files.createDirectories(folder.resolve("transports"));
        Files.createDirectories(folder.resolve("events"));
        Files.createDirectories(folder.resolve("loggers"));
        Files.createSymbolicLink(plugins.resolve(VIDEOROOM_LIBRARY), libraryFolder.resolve("plugins").resolve(VIDEOROOM_LIBRARY));
        Files.createSymbolicLink(transports.resolve(HTTP_LIBRARY), libraryFolder.resolve("transports").resolve(HTTP_LIBRARY));
        Path core = folder.resolve("janus.jcfg");
        Files.writeString(core, core(folder));
        Files.writeString(folder.resolve("janus.transport.http.jcfg"), httpTransport());
        Files.writeString(folder.resolve("janus.plugin.videoroom.jcfg"), videoroom());
        return core;
    }

    /** {@code janus.jcfg}. */
    String core(Path folder) {
        return String.format(Locale.ROOT, """
                general: {
                	configs_folder = "%1$s"
                	plugins_folder = "%1$s/plugins"
                	transports_folder = "%1$s/transports"
                	events_folder = "%1$s/events"
                	loggers_folder = "%1$s/loggers"
                	debug_level = %2$d
                	server_name = "livedesk-bench"
                	interface = "%4$s"
                %3$s}
                certificates: {
                }
                media: {
                }
                nat: {
                	nice_debug = false
                	ice_enforce_list = "%4$s"
                }
                plugins: {
                }
                transports: {
                }
                loggers: {
                }
                events: {
                }
                """, folder.toAbsolutePath(), debugLevel,
                eventLoops == 0 ? "" : "\tevent_loops = " + eventLoops + "\n", iceAddress);
    }

    /** {@code janus.transport.http.jcfg}: plain HTTP on 127.0.0.1 only, no admin API. */
    String httpTransport() {
        return String.format(Locale.ROOT, """
                general: {
                	json = "compact"
                	base_path = "/janus"
                	http = true
                	port = %d
                	ip = "127.0.0.1"
                	https = false
                }
                admin: {
                	admin_http = false
                	admin_https = false
                }
                cors: {
                }
                """, httpPort);
    }

    /** {@code janus.plugin.videoroom.jcfg}: no static rooms. */
    String videoroom() {
        return """
                general: {
                }
                """;
    }
}
