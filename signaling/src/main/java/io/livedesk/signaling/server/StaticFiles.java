package io.livedesk.signaling.server;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's files, read from the classpath (the console module's jar) once and kept in memory.
 * A path ending in '/' serves its index.html; '/demo/' is the demo bank page at the root; '/live/{id}' (a
 * broadcast's address, the link a bank shares) serves the viewer page, which reads the id from the path.
 * Scripts may be read from any origin: the widget's loader on a bank's page imports the widget's ES modules
 * from this server, and a cross-origin module import needs CORS. They are public files without secrets.
 */
public final class StaticFiles {
    private static final String ROOT = "io/livedesk/console/static";
    private static final Map<String, String> TYPES = Map.ofEntries(
            Map.entry("html", "text/html; charset=utf-8"), Map.entry("js", "text/javascript; charset=utf-8"),
            Map.entry("mjs", "text/javascript; charset=utf-8"), Map.entry("css", "text/css; charset=utf-8"),
            Map.entry("json", "application/json; charset=utf-8"), Map.entry("svg", "image/svg+xml"),
            Map.entry("png", "image/png"), Map.entry("ico", "image/x-icon"), Map.entry("webp", "image/webp"),
            Map.entry("woff2", "font/woff2"), Map.entry("txt", "text/plain; charset=utf-8"));

    /** A broadcast's page: /live/ followed by an id (no dot, so the page's own files are not taken for one). */
    private static final Pattern BROADCAST_PAGE = Pattern.compile("/live/[A-Za-z0-9_-]{1,64}");

    private final ClassLoader loader;
    private final ConcurrentHashMap<String, Optional<HttpReply>> cache = new ConcurrentHashMap<>();

    public StaticFiles(ClassLoader loader) {
        this.loader = loader;
    }

    /** The file for a URL path, or null. Never leaves the static root. */
    public HttpReply get(String urlPath) {
        if (urlPath.contains("..") || urlPath.contains("\\") || urlPath.contains("//") || !urlPath.startsWith("/")) {
            return null;
        }
        String path = urlPath.equals("/demo") || urlPath.equals("/demo/") ? "/" : urlPath;
        if (BROADCAST_PAGE.matcher(path).matches()) {
            path = "/live/watch.html";
        }
        if (path.endsWith("/")) {
            path = path + "index.html";
        }
        String resource = ROOT + path;
        return cache.computeIfAbsent(resource, this::load).orElse(null);
    }

    private Optional<HttpReply> load(String resource) {
        int dot = resource.lastIndexOf('.');
        String type = dot < 0 ? null : TYPES.get(resource.substring(dot + 1));
        if (type == null) {
            return Optional.empty();
        }
        try (InputStream in = loader.getResourceAsStream(resource)) {
            if (in == null) {
                return Optional.empty();
            }
            Map<String, String> headers = type.startsWith("text/javascript")
                    ? Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff", "Access-Control-Allow-Origin", "*")
                    : Map.of("Cache-Control", "no-cache", "X-Content-Type-Options", "nosniff");
            return Optional.of(new HttpReply(200, type, in.readAllBytes(), headers));
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
