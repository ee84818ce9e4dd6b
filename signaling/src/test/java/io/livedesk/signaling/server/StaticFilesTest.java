package io.livedesk.signaling.server;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

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
    void pathsOutsideTheStaticRootAreRefused() {
        assertNull(files.get("/../static/widget.js"));
        assertNull(files.get("//widget.js"));
    }
}
