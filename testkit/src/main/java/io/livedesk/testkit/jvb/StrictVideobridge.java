package io.livedesk.testkit.jvb;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;

/**
 * A stand-in for Jitsi Videobridge 2.3's Colibri2 REST interface that keeps the rules a real one enforces, as
 * observed against one (issue 13): a conference {@code name} must be a bare JID, every endpoint created must
 * declare the {@code source-names} capability, a second create of one meeting id is refused ("conference already
 * exists"), errors come back as the web server's HTML page, and, stricter than the real bridge (which only logs
 * "unrecognized DTLS setup value" and never completes DTLS), a transport whose {@code setup} is not
 * {@code active} or {@code passive} is refused so that a test sees it. It answers in the real bridge's shapes
 * (transport nested as {@code transport.transport}, its feedback sources {@code jvb-a0}/{@code jvb-v0}) and
 * records every request. No media: for contract tests of a focus.
 *
 * <p>Requests are held to the shape rules of the bridge's {@code Colibri2ConferenceHandler} (every refusal there is
 * a 400 "Failed to create conference: …" over REST): no request names both endpoints and relays, or more than one
 * relay, or creates or changes more than one endpoint; a relay is created with a {@code transport} and once, and
 * one not created is unknown unless the request only expires. A PATCH that leaves a conference with no endpoint and
 * no relay expires it, as the real bridge does.
 */
public final class StrictVideobridge implements AutoCloseable {
    /** One request as received: method, path and JSON body (null without one). */
    public record Request(String method, String path, JsonNode body) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern BARE_JID = Pattern.compile("[^\\s\"&'/:<>@]+@[^\\s@/]+");
    private static final String CONFERENCES = "/colibri/v2/conferences";

    private final HttpServer server;
    private final ExecutorService executor = Executors.newFixedThreadPool(4, r -> {
        Thread t = new Thread(r, "strict-jvb");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, Map<String, ObjectNode>> conferences = new ConcurrentHashMap<>();
    /** Per conference, per relay id: what the bridge was told of the relay, its remote endpoints under "endpoints". */
    private final Map<String, Map<String, ObjectNode>> relays = new ConcurrentHashMap<>();
    private final List<Request> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger creates = new AtomicInteger();
    private final Duration firstCreateDelay;

    /**
     * @param firstCreateDelay how long the first conference create takes before it is done and answered (a cold
     *                         bridge took 3.8 s); the conference exists as soon as the request arrives
     */
    public StrictVideobridge(Duration firstCreateDelay) throws IOException {
        this.firstCreateDelay = firstCreateDelay;
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        server.setExecutor(executor);
        server.createContext("/", this::handle);
        server.start();
    }

    public StrictVideobridge() throws IOException {
        this(Duration.ZERO);
    }

    public URI url() {
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    public List<Request> requests() {
        return List.copyOf(requests);
    }

    public Set<String> conferences() {
        return Set.copyOf(conferences.keySet());
    }

    /** What the bridge was last told of an endpoint (its accumulated create and updates), or null. */
    public JsonNode endpoint(String meetingId, String endpointId) {
        Map<String, ObjectNode> endpoints = conferences.get(meetingId);
        return endpoints == null ? null : endpoints.get(endpointId);
    }

    /**
     * What the bridge was last told of a relay: {@code id}, {@code mesh-id}, {@code transport} (the last one
     * given) and {@code endpoints}, an object of the remote endpoints listed on it by id; null if it has none.
     */
    public JsonNode relay(String meetingId, String relayId) {
        Map<String, ObjectNode> of = relays.get(meetingId);
        return of == null ? null : of.get(relayId);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            String path = exchange.getRequestURI().getPath();
            byte[] raw = exchange.getRequestBody().readAllBytes();
            JsonNode body = raw.length == 0 ? null : JSON.readTree(raw);
            requests.add(new Request(method, path, body));
            try {
                route(exchange, method, path, body);
            } catch (Refusal r) {
                page(exchange, r.status, r.getMessage());
            }
        } catch (RuntimeException e) {
            page(exchange, 500, e.toString());
        }
    }

    private void route(HttpExchange exchange, String method, String path, JsonNode body) throws IOException {
        if (method.equals("GET") && path.equals("/about/health")) {
            send(exchange, 200, null);
        } else if (method.equals("GET") && path.equals("/about/version")) {
            send(exchange, 200, JSON.createObjectNode().put("name", "JVB").put("version", "2.3.SNAPSHOT").put("os", "Linux"));
        } else if (method.equals("GET") && path.equals("/colibri/stats")) {
            int endpoints = conferences.values().stream().mapToInt(Map::size).sum();
            send(exchange, 200, JSON.createObjectNode().put("stress_level", 0.0).put("conferences", conferences.size())
                    .put("endpoints", endpoints).put("healthy", true).put("drain", false).put("shutting_down", false)
                    .put("version", "2.3.SNAPSHOT"));
        } else if (method.equals("POST") && (path.equals(CONFERENCES) || path.equals(CONFERENCES + "/"))) {
            create(exchange, body);
        } else if (method.equals("PATCH") && path.startsWith(CONFERENCES + "/")) {
            patch(exchange, path.substring(CONFERENCES.length() + 1), body);
        } else if (method.equals("GET") && path.startsWith(CONFERENCES)) {
            throw new Refusal(501, "Not Implemented");
        } else {
            throw new Refusal(404, "Not Found");
        }
    }

    private void create(HttpExchange exchange, JsonNode body) throws IOException {
        if (body == null || !body.path("meeting-id").isTextual()) {
            throw new Refusal(400, "Failed to create conference: meeting-id is required");
        }
        String meetingId = body.path("meeting-id").asText();
        JsonNode name = body.get("name");
        if (name != null && !(name.isTextual() && BARE_JID.matcher(name.asText()).matches())) {
            throw new Refusal(400, "Failed to create conference: Invalid conference name (not a JID)");
        }
        if (conferences.putIfAbsent(meetingId, new ConcurrentHashMap<>()) != null) {
            throw new Refusal(400, "Failed to create conference: Conference already exists");
        }
        boolean first = creates.getAndIncrement() == 0;
        ObjectNode reply;
        try {
            reply = modify(meetingId, body);
        } catch (Refusal r) {
            conferences.remove(meetingId);
            relays.remove(meetingId);
            throw r;
        }
        if (first && !firstCreateDelay.isZero()) {
            try {
                Thread.sleep(firstCreateDelay.toMillis()); // the cold bridge's own slowness, not a race in a test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        send(exchange, 200, reply);
    }

    private void patch(HttpExchange exchange, String meetingId, JsonNode body) throws IOException {
        if (!conferences.containsKey(meetingId)) {
            throw new Refusal(404, "Conference not found: " + meetingId);
        }
        if (body != null && body.path("expire").asBoolean(false)) {
            conferences.remove(meetingId);
            relays.remove(meetingId);
            send(exchange, 200, JSON.createObjectNode());
            return;
        }
        ObjectNode reply = modify(meetingId, body);
        if (conferences.get(meetingId).isEmpty() && relays.getOrDefault(meetingId, Map.of()).isEmpty()) {
            // "All endpoints and relays removed, expiring."
            conferences.remove(meetingId);
            relays.remove(meetingId);
        }
        send(exchange, 200, reply);
    }

    /** One conference-modify: the request's shape checked as the real bridge checks it, then endpoints, relays. */
    private ObjectNode modify(String meetingId, JsonNode body) {
        List<JsonNode> endpoints = list(body == null ? null : body.path("endpoints"));
        List<JsonNode> relayList = list(body == null ? null : body.path("relays"));
        if (!endpoints.isEmpty() && !relayList.isEmpty()) {
            throw failed("Using both 'relay' and 'endpoint' in a request");
        }
        if (endpoints.size() > 1 && endpoints.stream().anyMatch(e -> e.path("create").asBoolean(false)
                || e.has("medias") || e.has("transport") || e.has("sources"))) {
            throw failed("Creating or updating media, sources or transport for more than one endpoint in a request.");
        }
        if (relayList.size() > 1) {
            throw failed("Updating more than one 'relay' in a request.");
        }
        ObjectNode reply = endpoints(meetingId, body);
        if (!relayList.isEmpty()) {
            boolean onlyExpires = relayList.stream().allMatch(r -> r.path("expire").asBoolean(false));
            ArrayNode out = reply.putArray("relays");
            for (JsonNode relay : relayList) {
                out.add(relay(meetingId, relay, onlyExpires));
            }
        }
        return reply;
    }

    private ObjectNode relay(String meetingId, JsonNode relay, boolean ignoreUnknown) {
        String id = relay.path("id").asText();
        Map<String, ObjectNode> of = relays.computeIfAbsent(meetingId, k -> new ConcurrentHashMap<>());
        ObjectNode out = JSON.createObjectNode().put("id", id);
        if (relay.path("expire").asBoolean(false)) {
            of.remove(id);
            return out.put("expire", true);
        }
        ObjectNode known = of.get(id);
        if (relay.path("create").asBoolean(false)) {
            if (known != null) {
                throw failed("Relay with ID " + id + " already exists");
            }
            if (!relay.has("transport")) {
                throw failed("Attempt to create relay " + id + " with no <transport>");
            }
            known = JSON.createObjectNode().put("id", id).put("mesh-id", relay.path("mesh-id").asText(null));
            known.putObject("endpoints");
            of.put(id, known);
            out.set("transport", transport("relay-" + id));
        } else if (known == null) {
            if (ignoreUnknown) {
                return out;
            }
            throw failed("Unknown relay " + id);
        }
        if (relay.has("transport")) {
            known.set("transport", relay.get("transport").deepCopy());
        }
        ObjectNode listed = (ObjectNode) known.get("endpoints");
        for (JsonNode endpoint : list(relay.path("endpoints"))) {
            String endpointId = endpoint.path("id").asText();
            if (endpoint.path("expire").asBoolean(false)) {
                listed.remove(endpointId);
            } else {
                listed.set(endpointId, endpoint.deepCopy());
            }
        }
        return out;
    }

    private static Refusal failed(String why) {
        return new Refusal(400, "Failed to create conference: " + why);
    }

    private static List<JsonNode> list(JsonNode array) {
        List<JsonNode> out = new ArrayList<>();
        if (array != null && array.isArray()) {
            array.forEach(out::add);
        }
        return out;
    }

    private ObjectNode endpoints(String meetingId, JsonNode body) {
        Map<String, ObjectNode> endpoints = conferences.get(meetingId);
        ObjectNode reply = JSON.createObjectNode();
        ArrayNode replies = reply.putArray("endpoints");
        boolean created = false;
        for (JsonNode endpoint : body == null ? List.<JsonNode>of() : iterable(body.path("endpoints"))) {
            String id = endpoint.path("id").asText();
            ObjectNode out = replies.addObject().put("id", id);
            if (endpoint.path("expire").asBoolean(false)) {
                endpoints.remove(id);
                out.put("expire", true);
                continue;
            }
            if (endpoint.path("create").asBoolean(false)) {
                if (endpoints.containsKey(id)) {
                    throw new Refusal(400, "Endpoint already exists: " + id);
                }
                boolean sourceNames = false;
                for (JsonNode c : iterable(endpoint.path("capabilities"))) {
                    sourceNames |= "source-names".equals(c.asText());
                }
                if (!sourceNames) {
                    throw new Refusal(400, "Source name support is mandatory");
                }
                endpoints.put(id, ((ObjectNode) endpoint).deepCopy());
                out.set("transport", transport(id));
                created = true;
            } else if (!endpoints.containsKey(id)) {
                throw new Refusal(404, "Unknown endpoint " + id);
            } else {
                endpoints.get(id).setAll(((ObjectNode) endpoint).deepCopy());
            }
            for (JsonNode fp : iterable(endpoint.path("transport").path("transport").path("fingerprints"))) {
                String setup = fp.path("setup").asText();
                if (!setup.equals("active") && !setup.equals("passive")) {
                    throw new Refusal(400, "unrecognized DTLS setup value: " + setup);
                }
            }
        }
        if (created) {
            ArrayNode sources = reply.putArray("sources");
            sources.addObject().put("type", "audio").put("id", "jvb-a0").putArray("sources").addObject()
                    .put("ssrc", 2794337770L).put("name", "jvb-a0");
            sources.addObject().put("type", "video").put("id", "jvb-v0").putArray("sources").addObject()
                    .put("ssrc", 801659477L).put("name", "jvb-v0");
        }
        return reply;
    }

    /** The ICE ufrag this bridge gives the transport of an endpoint or relay ({@code relay-<id>}). */
    public static String ufragOf(String entityId) {
        return "2cn8" + Math.abs(entityId.hashCode() % 10_000);
    }

    private static ObjectNode transport(String endpointId) {
        ObjectNode outer = JSON.createObjectNode();
        ObjectNode t = outer.putObject("transport");
        t.put("xmlns", "urn:xmpp:jingle:transports:ice-udp:1").put("pwd", "1542inkpc7knkpa447t1q4s6h2")
                .put("ufrag", ufragOf(endpointId)).put("rtcp-mux", true);
        t.putArray("fingerprints").addObject()
                .put("fingerprint", "E6:C8:3F:84:FE:BD:E1:0D:E8:47:43:34:35:42:E6:17:6C:63:71:34:A3:C6:82:C7:17:DA:FA:C0:25:18:D0:2E")
                .put("setup", "actpass").put("hash", "sha-256");
        t.putArray("candidates").addObject().put("component", "1").put("foundation", "1").put("generation", "0")
                .put("id", "333e2b2f5ce93fac057833fe5").put("network", "0").put("priority", "2130706431")
                .put("protocol", "udp").put("type", "host").put("ip", "127.0.0.1").put("port", "10000");
        return outer;
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array.isArray() ? array : List.of();
    }

    private static void send(HttpExchange exchange, int status, JsonNode body) throws IOException {
        byte[] bytes = body == null ? new byte[0] : JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    /** The page Jetty (Jitsi Videobridge's web server) answers an error with. */
    private static void page(HttpExchange exchange, int status, String message) throws IOException {
        String html = "<html>\n<head>\n<meta http-equiv=\"Content-Type\" content=\"text/html;charset=ISO-8859-1\"/>\n"
                + "<title>Error " + status + " " + message + "</title>\n</head>\n<body><h2>HTTP ERROR " + status + " "
                + message + "</h2>\n<table>\n<tr><th>URI:</th><td>" + exchange.getRequestURI().getPath() + "</td></tr>\n"
                + "<tr><th>STATUS:</th><td>" + status + "</td></tr>\n<tr><th>MESSAGE:</th><td>" + message
                + "</td></tr>\n</table>\n\n</body>\n</html>\n";
        byte[] bytes = html.getBytes(StandardCharsets.ISO_8859_1);
        exchange.getResponseHeaders().set("Content-Type", "text/html;charset=iso-8859-1");
        exchange.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(bytes);
        }
    }

    private static final class Refusal extends RuntimeException {
        final int status;

        Refusal(int status, String message) {
            super(message);
            this.status = status;
        }
    }
}
