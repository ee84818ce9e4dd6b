package io.livedesk.signaling.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class StaticFilesTest {
    private final StaticFiles files = new StaticFiles(getClass().getClassLoader());

    @Test
    void theWidgetsModulesMayBeImportedFromABanksPageOnAnotherOrigin() {
        for (String path : new String[] {"/widget.js", "/widget/app.js", "/client/session.js"}) {
            HttpReply reply = files.get(path);
            assertNotNull(reply, path);
            assertEquals("*", reply.headers().get("Access-Control-Allow-Origin"), path);
        }
    }

    @Test
    void pagesAreNotSharedAcrossOrigins() {
        HttpReply page = files.get("/console/");
        assertNotNull(page);
        assertFalse(page.headers().containsKey("Access-Control-Allow-Origin"));
    }

    @Test
    void aBroadcastsAddressServesTheViewerPageAndTheListIsAtLive() throws Exception {
        HttpReply page = files.get("/live/b-5d0c1e2f-aaaa-bbbb-cccc-0123456789ab");
        assertNotNull(page);
        String html = new String(page.body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(html.contains("/live/viewer.js"), "the viewer page");
        String list = new String(files.get("/live/").body(), java.nio.charset.StandardCharsets.UTF_8);
        assertTrue(list.contains("/live/list.js"), "the list page");
        assertNotNull(files.get("/live/viewer.js"), "the page's own files are not taken for a broadcast id");
        assertEquals("*", files.get("/live.js").headers().get("Access-Control-Allow-Origin"), "embeddable");
        assertNull(files.get("/live/b-1/extra"));
    }

    @Test
    void aBroadcastsAddressIsAnsweredWithTheViewerPageThroughTheRoutesWhileTheApiKeepsItsOwn() {
        HttpRoutes routes = new HttpRoutes(files, new com.fasterxml.jackson.databind.ObjectMapper());
        routes.add(io.netty.handler.codec.http.HttpMethod.GET, "/api/broadcasts/{id}", call -> HttpReply.json(200, "{}"));
        HttpReply page = routes.handle(get("/live/b-5d0c1e2f"));
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.contentType());
        assertTrue(new String(page.body(), java.nio.charset.StandardCharsets.UTF_8).contains("/live/viewer.js"));
        assertEquals("application/json; charset=utf-8", routes.handle(get("/api/broadcasts/b-5d0c1e2f")).contentType());
        assertEquals(404, routes.handle(get("/live/b-5d0c1e2f.html")).status(), "an id has no dot: not a page's file");
        assertEquals(404, routes.handle(get("/live/" + "b".repeat(65))).status(), "ids are at most 64 characters");
    }

    private static HttpCall get(String path) {
        return new HttpCall(io.netty.handler.codec.http.HttpMethod.GET, path, java.util.Map.of(),
                new io.netty.handler.codec.http.DefaultHttpHeaders(), "");
    }

    @Test
    void pathsOutsideTheStaticRootAreRefused() {
        assertNull(files.get("/../static/widget.js"));
        assertNull(files.get("//widget.js"));
    }
}
