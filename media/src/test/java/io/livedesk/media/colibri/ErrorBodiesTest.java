package io.livedesk.media.colibri;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ErrorBodiesTest {
    /** The page Jitsi Videobridge's web server (Jetty) answers a refused conference create with. */
    static final String JETTY_PAGE = """
            <html>
            <head>
            <meta http-equiv="Content-Type" content="text/html;charset=ISO-8859-1"/>
            <title>Error 400 Failed to create conference: Invalid conference name (not a JID)</title>
            </head>
            <body><h2>HTTP ERROR 400 Failed to create conference: Invalid conference name (not a JID)</h2>
            <table>
            <tr><th>URI:</th><td>/colibri/v2/conferences/</td></tr>
            <tr><th>STATUS:</th><td>400</td></tr>
            <tr><th>MESSAGE:</th><td>Failed to create conference: Invalid conference name (not a JID)</td></tr>
            <tr><th>SERVLET:</th><td>org.glassfish.jersey.servlet.ServletContainer-1a2b3c</td></tr>
            </table>
            </body>
            </html>
            """;

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void jettysErrorPageGivesItsMessage() {
        assertEquals("Failed to create conference: Invalid conference name (not a JID)",
                ErrorBodies.reason(bytes(JETTY_PAGE), null));
    }

    @Test
    void otherPagesGiveTheirTitleOrTheirText() {
        assertEquals("Error 503 Service Unavailable & more",
                ErrorBodies.reason(bytes("<html><title>Error 503 Service Unavailable &amp; more</title></html>"), null));
        assertEquals("Bad gateway: upstream closed",
                ErrorBodies.reason(bytes("<html><style>p{}</style><body><p>Bad gateway:</p>\n<p>upstream closed</p></body></html>"), null));
    }

    @Test
    void plainTextAndJsonReasonsAreKeptOnOneShortPrintableLine() {
        assertEquals("conference already exists", ErrorBodies.reason(bytes("conference already exists\r\n"), null));
        assertEquals("endpoint e1 unknown", ErrorBodies.reason(bytes("{}"), "endpoint e1\nunknown"));
        String longReason = ErrorBodies.reason(bytes("x".repeat(5000)), null);
        assertEquals(ErrorBodies.MAX_REASON, longReason.length());
        assertTrue(longReason.endsWith("…"));
        assertEquals("a ? b", ErrorBodies.reason(bytes("a \u0007? b"), null).replace("  ", " "));
    }

    @Test
    void emptyOrHugeBodiesGiveNoReason() {
        assertNull(ErrorBodies.reason(new byte[0], null));
        assertNull(ErrorBodies.reason(bytes("  \n "), null));
        assertNull(ErrorBodies.reason(bytes("<html></html>"), null));
        assertNull(ErrorBodies.reason(new byte[ErrorBodies.MAX_BODY + 1], null));
    }
}
