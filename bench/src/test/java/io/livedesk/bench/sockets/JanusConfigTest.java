package io.livedesk.bench.sockets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JanusConfigTest {
    private final JanusConfig config = new JanusConfig(Path.of("/usr/lib/janus"), 18088, "127.0.0.2", 3, 0);

    @Test
    void coreGathersOnlyTheLoopbackAliasWithNoStunTurnOrNat() {
        String core = config.core(Path.of("/tmp/j"));

        assertTrue(core.contains("ice_enforce_list = \"127.0.0.2\""), core);
        assertTrue(core.contains("plugins_folder = \"/tmp/j/plugins\""), core);
        assertTrue(core.contains("transports_folder = \"/tmp/j/transports\""), core);
        assertTrue(core.contains("debug_level = 3"), core);
        for (String absent : List.of("stun_server", "turn_server", "nat_1_1_mapping", "turn_rest_api", "event_loops")) {
            assertFalse(core.contains(absent), absent + " in\n" + core);
        }
    }

    @Test
    void eventLoopsAreWrittenOnlyWhenAsked() {
        assertTrue(new JanusConfig(Path.of("/x"), 1, "127.0.0.2", 3, 2).core(Path.of("/t")).contains("event_loops = 2"));
        assertThrows(IllegalArgumentException.class, () -> new JanusConfig(Path.of("/x"), 1, "127.0.0.2", 3, -1));
        assertThrows(IllegalArgumentException.class, () -> new JanusConfig(Path.of("/x"), 1, "127.0.0.2", 8, 0));
    }

    @Test
    void httpTransportListensOnLoopbackOnlyWithoutAdminApi() {
        String http = config.httpTransport();

        assertTrue(http.contains("port = 18088"), http);
        assertTrue(http.contains("ip = \"127.0.0.1\""), http);
        assertTrue(http.contains("https = false"), http);
        assertTrue(http.contains("admin_http = false"), http);
    }

    @Test
    void folderLinksOnlyTheVideoroomPluginAndHttpTransport(@TempDir Path temp) throws Exception {
        Path library = temp.resolve("lib");
        Files.createDirectories(library.resolve("plugins"));
        Files.createDirectories(library.resolve("transports"));
        for (String plugin : List.of(JanusConfig.VIDEOROOM_LIBRARY, "libjanus_sip.so")) {
            Files.writeString(library.resolve("plugins").resolve(plugin), "");
        }
        Files.writeString(library.resolve("transports").resolve(JanusConfig.HTTP_LIBRARY), "");
        Path folder = Files.createDirectories(temp.resolve("conf"));

        Path core = new JanusConfig(library, 8088, "127.0.0.2", 3, 0).write(folder);

        assertEquals(folder.resolve("janus.jcfg"), core);
        assertTrue(Files.exists(folder.resolve("janus.transport.http.jcfg")));
        assertTrue(Files.exists(folder.resolve("janus.plugin.videoroom.jcfg")));
        try (Stream<Path> plugins = Files.list(folder.resolve("plugins"))) {
            List<Path> linked = plugins.toList();
            assertEquals(1, linked.size());
            assertEquals(library.resolve("plugins").resolve(JanusConfig.VIDEOROOM_LIBRARY),
                    Files.readSymbolicLink(linked.get(0)));
        }
        assertTrue(Files.isSymbolicLink(folder.resolve("transports").resolve(JanusConfig.HTTP_LIBRARY)));
        try (Stream<Path> events = Files.list(folder.resolve("events"))) {
            assertEquals(0, events.count(), "no event handlers");
        }
    }
}
