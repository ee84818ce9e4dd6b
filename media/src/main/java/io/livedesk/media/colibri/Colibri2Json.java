package io.livedesk.media.colibri;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.api.TransportDescription;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Maps between the Colibri2 JSON of Jitsi Videobridge's REST interface and the {@code api} records, in
 * both directions: a bridge node parses requests and writes replies, a focus writes requests and parses
 * replies.
 *
 * <p>Requests are read strictly: every field is type- and range-checked, arrays are bounded, and any
 * failure is a {@link BridgeException.BadRequest} naming the field. Numbers that Colibri2 writes as
 * strings (payload-type ids, clock rates, candidate fields) are accepted as strings or numbers. Fields of
 * the real protocol are handled deliberately:
 * <ul>
 *   <li>supported: conference {@code meeting-id}, {@code name}, {@code create}, {@code expire},
 *       {@code endpoints}; endpoint {@code id}, {@code create}, {@code expire}, {@code stats-id},
 *       {@code medias}, {@code transport} ({@code ice-controlling} and the ICE-UDP {@code transport}),
 *       {@code sources}, {@code capabilities} (must contain {@code source-names} on create);</li>
 *   <li>ignored, because dropping them changes nothing a LiveDesk bridge does:
 *       {@code callstats-enabled}, {@code rtcstats-enabled}, endpoint {@code initial-last-n} (the bridge
 *       forwards everything), media {@code extmap-allow-mixed}, source {@code videoType}, candidate
 *       {@code id}, {@code generation}, {@code network}, {@code rel-addr}, {@code rel-port},
 *       {@code tcptype} (informational in ICE);</li>
 *   <li>refused with 400, because accepting them would silently drop a feature the sender relies on:
 *       {@code relays} and {@code connects} (no bridge-to-bridge relay or media export),
 *       endpoint {@code force-mute} and {@code sctp}, transport {@code ice-restart},
 *       {@code use-unique-port} and {@code web-sockets} (no WebSocket bridge channel);</li>
 *   <li>anything else unknown is refused too, so a new protocol feature fails loudly.</li>
 * </ul>
 * Replies from a remote bridge are read tolerantly (unknown fields such as {@code web-sockets} are
 * skipped) but the fields used are still checked. Candidate {@code id}s are not kept by the api records;
 * written candidates get positional ids.
 */
public final class Colibri2Json {

    /** The only transport Colibri2 describes. */
    public static final String ICE_UDP_XMLNS = "urn:xmpp:jingle:transports:ice-udp:1";
    /** The capability every endpoint must declare; the bridge signals sources by name only. */
    public static final String SOURCE_NAMES = "source-names";
    /** Upper bound of a document this class will parse; the HTTP layer has its own (smaller) limit. */
    public static final int MAX_DOCUMENT_BYTES = 1 << 20;

    // Bounds on arrays: far above what a browser's SDP produces, low enough that no request is costly.
    static final int MAX_ENDPOINTS = 100;
    static final int MAX_MEDIAS = 2;
    static final int MAX_PAYLOAD_TYPES = 64;
    static final int MAX_RTCP_FBS = 16;
    static final int MAX_PARAMETERS = 32;
    static final int MAX_HDREXTS = 32;
    static final int MAX_SOURCES = 64;
    static final int MAX_SSRCS_PER_SOURCE = 16;
    static final int MAX_SSRC_GROUPS = 16;
    static final int MAX_FINGERPRINTS = 4;
    static final int MAX_CANDIDATES = 64;
    static final int MAX_CAPABILITIES = 16;
    private static final int MAX_TEXT = 256;

    /** Meeting, endpoint and source ids: they end up in URL paths, logs and SDP. */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@:+-]{0,127}");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,63}");
    private static final Pattern ICE_UFRAG = Pattern.compile("[A-Za-z0-9+/]{4,256}");
    private static final Pattern ICE_PWD = Pattern.compile("[A-Za-z0-9+/]{22,256}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.:%-]{1,255}");
    private static final Set<String> SETUP_ROLES = Set.of("actpass", "active", "passive");
    private static final Set<String> CANDIDATE_TYPES = Set.of("host", "srflx", "prflx", "relay");
    private static final Set<String> PROTOCOLS = Set.of("udp", "tcp");
    private static final long MAX_SSRC = 0xFFFF_FFFFL;

    private final ObjectMapper mapper;

    public Colibri2Json() {
        JsonFactory factory = JsonFactory.builder()
                .streamReadConstraints(StreamReadConstraints.builder()
                        .maxDocumentLength(MAX_DOCUMENT_BYTES)
                        .maxNestingDepth(32)
                        .maxStringLength(16 * 1024)
                        .maxNumberLength(32)
                        .maxNameLength(MAX_TEXT)
                        .build())
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                .build();
        this.mapper = JsonMapper.builder(factory)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
    }

    // ---------------------------------------------------------------- bridge side: requests in

    /** The body of {@code POST /colibri/v2/conferences/}: must carry {@code meeting-id} and {@code create}. */
    public ConferenceRequest parseCreate(byte[] body) throws BridgeException.BadRequest {
        ConferenceRequest request = parseConference(body, null);
        if (!request.create()) {
            throw new BridgeException.BadRequest("a POST must create the conference (\"create\":true)");
        }
        return request;
    }

    /** The body of {@code PATCH /colibri/v2/conferences/{meetingId}}. */
    public ConferenceRequest parseModify(String meetingId, byte[] body) throws BridgeException.BadRequest {
        if (meetingId == null || !ID.matcher(meetingId).matches()) {
            throw new BridgeException.BadRequest("meeting-id in the path must match " + ID.pattern());
        }
        ConferenceRequest request = parseConference(body, meetingId);
        if (request.create()) {
            throw new BridgeException.BadRequest("create a conference with POST /colibri/v2/conferences/");
        }
        return request;
    }

    private ConferenceRequest parseConference(byte[] body, String pathMeetingId) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.of(readTree(body), "");
        String meetingId;
        if (pathMeetingId == null) {
            meetingId = root.requiredToken("meeting-id", ID);
        } else {
            meetingId = pathMeetingId;
            String inBody = root.optionalString("meeting-id", MAX_TEXT);
            if (inBody != null && !inBody.equals(pathMeetingId)) {
                throw JsonFields.bad("meeting-id", "does not match the conference in the path");
            }
        }
        String name = root.optionalString("name", MAX_TEXT);
        boolean create = root.bool("create", false);
        boolean expire = root.bool("expire", false);
        root.ignore("callstats-enabled", "rtcstats-enabled");
        root.refuse("relays", "this bridge does not relay to other bridges");
        root.refuse("connects", "this bridge does not export media");

        List<JsonNode> endpointNodes = root.array("endpoints", MAX_ENDPOINTS);
        List<EndpointRequest> endpoints = new ArrayList<>(endpointNodes.size());
        Set<String> endpointIds = new HashSet<>();
        for (int i = 0; i < endpointNodes.size(); i++) {
            EndpointRequest endpoint = parseEndpoint(endpointNodes.get(i), JsonFields.element("endpoints", i));
            if (!endpointIds.add(endpoint.id())) {
                throw JsonFields.bad(JsonFields.element("endpoints", i), "repeats endpoint " + endpoint.id());
            }
            endpoints.add(endpoint);
        }
        root.rejectUnread();
        if (expire && (create || !endpoints.isEmpty())) {
            throw new BridgeException.BadRequest("expire of a conference cannot be combined with create or endpoints");
        }
        return ConferenceRequest.builder(meetingId).name(name).create(create).expire(expire).endpoints(endpoints).build();
    }

    private EndpointRequest parseEndpoint(JsonNode node, String path) throws BridgeException.BadRequest {
        JsonFields endpoint = JsonFields.of(node, path);
        String id = endpoint.requiredToken("id", ID);
        boolean create = endpoint.bool("create", false);
        boolean expire = endpoint.bool("expire", false);
        String statsId = endpoint.optionalString("stats-id", MAX_TEXT);
        List<Media> medias = parseMedias(endpoint.array("medias", MAX_MEDIAS), endpoint.pathOf("medias"));

        boolean iceControlling = true; // Colibri2's default: the bridge controls ICE unless told otherwise
        TransportDescription remoteTransport = null;
        JsonFields transport = endpoint.optionalObject("transport");
        if (transport != null) {
            iceControlling = transport.bool("ice-controlling", true);
            transport.refuse("ice-restart", "ICE restarts are not implemented; expire and re-create the endpoint");
            transport.refuse("use-unique-port", "it only applies to bridge-to-bridge relays");
            transport.refuse("web-sockets", "this bridge has no WebSocket bridge channel");
            JsonFields iceUdp = transport.optionalObject("transport");
            if (iceUdp != null) {
                remoteTransport = parseIceUdp(iceUdp, true);
            }
            transport.rejectUnread();
        }

        List<JsonNode> sourceNodes = endpoint.optionalArray("sources", MAX_SOURCES);
        List<MediaSource> sources = sourceNodes == null ? null
                : parseSources(sourceNodes, endpoint.pathOf("sources"), true);

        Set<String> capabilities = parseCapabilities(endpoint);
        if (create && !capabilities.contains(SOURCE_NAMES)) {
            throw JsonFields.bad(endpoint.pathOf("capabilities"),
                    "must contain \"" + SOURCE_NAMES + "\": source name support is mandatory");
        }
        endpoint.ignore("initial-last-n");
        endpoint.refuse("force-mute", "the bridge does not mute endpoints");
        endpoint.refuse("sctp", "this bridge has no SCTP data channel");
        endpoint.rejectUnread();
        if (create && expire) {
            throw JsonFields.bad(path, "cannot both create and expire the endpoint");
        }
        return EndpointRequest.builder(id).create(create).expire(expire).statsId(statsId).medias(medias)
                .remoteTransport(remoteTransport).sources(sources).iceControlling(iceControlling).build();
    }

    private static Set<String> parseCapabilities(JsonFields endpoint) throws BridgeException.BadRequest {
        Set<String> capabilities = new HashSet<>();
        List<JsonNode> nodes = endpoint.array("capabilities", MAX_CAPABILITIES);
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode capability = nodes.get(i);
            if (!capability.isTextual() || capability.textValue().length() > MAX_TEXT) {
                throw JsonFields.bad(JsonFields.element(endpoint.pathOf("capabilities"), i), "must be a short string");
            }
            capabilities.add(capability.textValue());
        }
        return capabilities;
    }

    private static List<Media> parseMedias(List<JsonNode> nodes, String path) throws BridgeException.BadRequest {
        List<Media> medias = new ArrayList<>(nodes.size());
        Set<MediaType> types = EnumSet.noneOf(MediaType.class);
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields media = JsonFields.of(nodes.get(i), JsonFields.element(path, i));
            MediaType type = mediaType(media);
            if (!types.add(type)) {
                throw JsonFields.bad(media.path(), "repeats media type " + type.wire());
            }
            List<JsonNode> ptNodes = media.array("payload-types", MAX_PAYLOAD_TYPES);
            List<PayloadType> payloadTypes = new ArrayList<>(ptNodes.size());
            Set<Integer> ptIds = new HashSet<>();
            for (int j = 0; j < ptNodes.size(); j++) {
                PayloadType pt = parsePayloadType(ptNodes.get(j), JsonFields.element(media.pathOf("payload-types"), j));
                if (!ptIds.add(pt.id())) {
                    throw JsonFields.bad(JsonFields.element(media.pathOf("payload-types"), j),
                            "repeats payload type " + pt.id());
                }
                payloadTypes.add(pt);
            }
            List<JsonNode> extNodes = media.array("rtp-hdrexts", MAX_HDREXTS);
            List<HeaderExtension> extensions = new ArrayList<>(extNodes.size());
            Set<Integer> extIds = new HashSet<>();
            for (int j = 0; j < extNodes.size(); j++) {
                JsonFields ext = JsonFields.of(extNodes.get(j), JsonFields.element(media.pathOf("rtp-hdrexts"), j));
                int id = (int) ext.requiredNumber("id", 1, 255);
                String uri = ext.requiredString("uri", MAX_TEXT);
                ext.rejectUnread();
                if (!extIds.add(id)) {
                    throw JsonFields.bad(ext.path(), "repeats header extension id " + id);
                }
                extensions.add(new HeaderExtension(id, uri));
            }
            media.ignore("extmap-allow-mixed");
            media.rejectUnread();
            medias.add(new Media(type, payloadTypes, extensions));
        }
        return medias;
    }

    private static PayloadType parsePayloadType(JsonNode node, String path) throws BridgeException.BadRequest {
        JsonFields pt = JsonFields.of(node, path);
        int id = (int) pt.requiredNumber("id", 0, 127);
        String name = pt.requiredToken("name", TOKEN);
        int clockRate = (int) pt.requiredNumber("clockrate", 1, 10_000_000);
        Long channels = pt.optionalNumber("channels", 1, 255);
        Map<String, String> parameters = new LinkedHashMap<>();
        for (String[] entry : pt.stringMap("parameters", MAX_PARAMETERS, MAX_TEXT)) {
            parameters.put(entry[0], entry[1]);
        }
        List<JsonNode> fbNodes = pt.array("rtcp-fbs", MAX_RTCP_FBS);
        List<PayloadType.RtcpFeedback> feedback = new ArrayList<>(fbNodes.size());
        for (int i = 0; i < fbNodes.size(); i++) {
            JsonFields fb = JsonFields.of(fbNodes.get(i), JsonFields.element(pt.pathOf("rtcp-fbs"), i));
            String type = fb.requiredToken("type", TOKEN);
            String subtype = fb.optionalString("subtype", MAX_TEXT);
            fb.rejectUnread();
            feedback.add(new PayloadType.RtcpFeedback(type, subtype == null ? "" : subtype));
        }
        pt.rejectUnread();
        return new PayloadType(id, name, clockRate, channels == null ? 1 : channels.intValue(), parameters, feedback);
    }

    private static MediaType mediaType(JsonFields fields) throws BridgeException.BadRequest {
        String type = fields.requiredString("type", MAX_TEXT);
        for (MediaType candidate : MediaType.values()) {
            if (candidate.wire().equals(type)) {
                return candidate;
            }
        }
        throw JsonFields.bad(fields.pathOf("type"), "must be \"audio\" or \"video\"");
    }

    // ---------------------------------------------------------------- shared by requests and replies

    private static TransportDescription parseIceUdp(JsonFields t, boolean strict) throws BridgeException.BadRequest {
        String xmlns = t.optionalString("xmlns", MAX_TEXT);
        if (xmlns != null && !xmlns.equals(ICE_UDP_XMLNS)) {
            throw JsonFields.bad(t.pathOf("xmlns"), "must be " + ICE_UDP_XMLNS);
        }
        String ufrag = t.requiredToken("ufrag", ICE_UFRAG);
        String pwd = t.requiredToken("pwd", ICE_PWD);
        boolean rtcpMux = t.bool("rtcp-mux", false);
        List<JsonNode> fpNodes = t.array("fingerprints", MAX_FINGERPRINTS);
        if (fpNodes.isEmpty()) {
            throw JsonFields.bad(t.pathOf("fingerprints"), "must hold the DTLS certificate fingerprint");
        }
        List<TransportDescription.Fingerprint> fingerprints = new ArrayList<>(fpNodes.size());
        for (int i = 0; i < fpNodes.size(); i++) {
            JsonFields fp = JsonFields.of(fpNodes.get(i), JsonFields.element(t.pathOf("fingerprints"), i));
            String hash = fp.requiredToken("hash", TOKEN);
            String fingerprint = fp.requiredToken("fingerprint", FINGERPRINT);
            String setup = fp.requiredString("setup", MAX_TEXT);
            if (!SETUP_ROLES.contains(setup)) {
                throw JsonFields.bad(fp.pathOf("setup"), "must be actpass, active or passive");
            }
            if (strict) {
                fp.rejectUnread();
            }
            fingerprints.add(new TransportDescription.Fingerprint(hash, fingerprint, setup));
        }
        List<JsonNode> candidateNodes = t.array("candidates", MAX_CANDIDATES);
        List<TransportDescription.Candidate> candidates = new ArrayList<>(candidateNodes.size());
        for (int i = 0; i < candidateNodes.size(); i++) {
            candidates.add(parseCandidate(candidateNodes.get(i),
                    JsonFields.element(t.pathOf("candidates"), i), strict));
        }
        if (strict) {
            t.refuse("web-sockets", "this bridge has no WebSocket bridge channel");
            t.rejectUnread();
        }
        return new TransportDescription(ufrag, pwd, fingerprints, candidates, rtcpMux);
    }

    private static TransportDescription.Candidate parseCandidate(JsonNode node, String path, boolean strict)
            throws BridgeException.BadRequest {
        JsonFields c = JsonFields.of(node, path);
        String foundation = c.requiredToken("foundation", TOKEN);
        int component = (int) c.requiredNumber("component", 1, 256);
        String protocol = c.requiredString("protocol", MAX_TEXT).toLowerCase(java.util.Locale.ROOT);
        if (!PROTOCOLS.contains(protocol)) {
            throw JsonFields.bad(c.pathOf("protocol"), "must be udp or tcp");
        }
        long priority = c.requiredNumber("priority", 0, 0xFFFF_FFFFL);
        String ip = c.requiredToken("ip", ADDRESS);
        int port = (int) c.requiredNumber("port", 0, 65535);
        String type = c.requiredString("type", MAX_TEXT);
        if (!CANDIDATE_TYPES.contains(type)) {
            throw JsonFields.bad(c.pathOf("type"), "must be host, srflx, prflx or relay");
        }
        c.ignore("id", "generation", "network", "rel-addr", "rel-port", "tcptype");
        if (strict) {
            c.rejectUnread();
        }
        return new TransportDescription.Candidate(foundation, component, protocol, priority, ip, port, type);
    }

    private static List<MediaSource> parseSources(List<JsonNode> nodes, String path, boolean strict)
            throws BridgeException.BadRequest {
        List<MediaSource> sources = new ArrayList<>(nodes.size());
        Set<Long> allSsrcs = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields source = JsonFields.of(nodes.get(i), JsonFields.element(path, i));
            MediaType type = mediaType(source);
            String id = source.requiredToken("id", ID);
            if (!ids.add(id)) {
                throw JsonFields.bad(source.path(), "repeats source " + id);
            }
            List<JsonNode> ssrcNodes = source.array("sources", MAX_SSRCS_PER_SOURCE);
            if (ssrcNodes.isEmpty()) {
                throw JsonFields.bad(source.pathOf("sources"), "must list at least one SSRC");
            }
            List<MediaSource.Ssrc> ssrcs = new ArrayList<>(ssrcNodes.size());
            Set<Long> own = new HashSet<>();
            for (int j = 0; j < ssrcNodes.size(); j++) {
                JsonFields ssrc = JsonFields.of(ssrcNodes.get(j), JsonFields.element(source.pathOf("sources"), j));
                long value = ssrc.requiredNumber("ssrc", 0, MAX_SSRC);
                String name = ssrc.optionalString("name", MAX_TEXT);
                if (strict) {
                    ssrc.rejectUnread();
                }
                if (!allSsrcs.add(value)) {
                    throw JsonFields.bad(ssrc.pathOf("ssrc"), "repeats SSRC " + value);
                }
                own.add(value);
                ssrcs.add(new MediaSource.Ssrc(value, name == null ? id : name));
            }
            List<JsonNode> groupNodes = source.array("ssrc-groups", MAX_SSRC_GROUPS);
            List<MediaSource.SsrcGroup> groups = new ArrayList<>(groupNodes.size());
            for (int j = 0; j < groupNodes.size(); j++) {
                JsonFields group = JsonFields.of(groupNodes.get(j),
                        JsonFields.element(source.pathOf("ssrc-groups"), j));
                String semantics = group.requiredToken("semantics", TOKEN);
                List<JsonNode> members = group.array("sources", MAX_SSRCS_PER_SOURCE);
                if (members.isEmpty()) {
                    throw JsonFields.bad(group.pathOf("sources"), "must list the grouped SSRCs");
                }
                List<Long> groupSsrcs = new ArrayList<>(members.size());
                for (int k = 0; k < members.size(); k++) {
                    String memberPath = JsonFields.element(group.pathOf("sources"), k);
                    long member = JsonFields.number(members.get(k), memberPath, 0, MAX_SSRC);
                    if (!own.contains(member)) {
                        throw JsonFields.bad(memberPath, "is not an SSRC of source " + id);
                    }
                    groupSsrcs.add(member);
                }
                if (strict) {
                    group.rejectUnread();
                }
                groups.add(new MediaSource.SsrcGroup(semantics, groupSsrcs));
            }
            source.ignore("videoType");
            if (strict) {
                source.rejectUnread();
            }
            sources.add(new MediaSource(type, id, ssrcs, groups));
        }
        return sources;
    }

    // ---------------------------------------------------------------- bridge side: replies out

    /** The reply to a create or modify: transports of created endpoints, expire echoes, bridge sources. */
    public byte[] writeReply(ConferenceReply reply) {
        ObjectNode root = mapper.createObjectNode();
        if (!reply.endpoints().isEmpty()) {
            ArrayNode endpoints = root.putArray("endpoints");
            for (ConferenceReply.EndpointReply endpoint : reply.endpoints()) {
                ObjectNode node = endpoints.addObject().put("id", endpoint.id());
                if (endpoint.transport() != null) {
                    node.putObject("transport").set("transport", writeIceUdp(endpoint.transport()));
                }
                if (endpoint.expired()) {
                    node.put("expire", true);
                }
            }
        }
        if (!reply.bridgeSources().isEmpty()) {
            root.set("sources", writeSources(reply.bridgeSources()));
        }
        return bytes(root);
    }

    /** The reply to {@code {"expire":true}} on a conference. */
    public byte[] writeConferenceExpired() {
        return bytes(mapper.createObjectNode());
    }

    /** {@code /colibri/stats}, with Jitsi Videobridge's field names. */
    public byte[] writeStats(BridgeStats stats, String version) {
        ObjectNode root = mapper.createObjectNode()
                .put("stress_level", stats.stressLevel())
                .put("conferences", stats.conferences())
                .put("endpoints", stats.endpoints())
                .put("healthy", stats.healthy())
                .put("drain", stats.draining())
                .put("shutting_down", stats.shuttingDown())
                .put("version", version)
                .put("total_packets_received", stats.packetsIn())
                .put("total_packets_sent", stats.packetsOut())
                .put("total_bytes_received", stats.bytesIn())
                .put("total_bytes_sent", stats.bytesOut());
        return bytes(root);
    }

    /**
     * Per-endpoint statistics of one conference: a LiveDesk extension, not Colibri2, so the field names
     * follow {@code /colibri/stats} (snake case) rather than any Jitsi debug format.
     */
    public byte[] writeConferenceStats(ConferenceStats stats) {
        ObjectNode root = mapper.createObjectNode()
                .put("meeting_id", stats.meetingId())
                .put("endpoint_count", stats.endpointCount())
                .put("packets_received", stats.packetsIn())
                .put("packets_sent", stats.packetsOut())
                .put("bytes_received", stats.bytesIn())
                .put("bytes_sent", stats.bytesOut())
                .put("dropped", stats.dropped());
        ArrayNode endpoints = root.putArray("endpoints");
        for (EndpointStats e : stats.endpoints()) {
            ObjectNode node = endpoints.addObject()
                    .put("id", e.id())
                    .put("stats_id", e.statsId())
                    .put("connected", e.connected())
                    .put("packets_received", e.packetsIn())
                    .put("packets_sent", e.packetsOut())
                    .put("bytes_received", e.bytesIn())
                    .put("bytes_sent", e.bytesOut())
                    .put("packets_lost", e.packetsLost())
                    .put("fraction_lost", e.fractionLost())
                    .put("rtt_ms", e.rttMs())
                    .put("bitrate_received_bps", e.bitrateInBps())
                    .put("bitrate_sent_bps", e.bitrateOutBps())
                    .put("estimate_bps", e.estimateBps());
            ObjectNode dropped = node.putObject("dropped");
            new TreeMap<>(e.dropped()).forEach(dropped::put);
        }
        return bytes(root);
    }

    /** The reply of {@link #writeConferenceStats}, read back by a client. */
    public ConferenceStats parseConferenceStats(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.of(readTree(body), "");
        List<JsonNode> nodes = root.array("endpoints", 10_000);
        List<EndpointStats> endpoints = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields e = JsonFields.of(nodes.get(i), JsonFields.element("endpoints", i));
            Map<String, Long> dropped = new LinkedHashMap<>();
            JsonFields droppedNode = e.optionalObject("dropped");
            if (droppedNode != null) {
                for (String[] entry : e.stringMap("dropped", 64, MAX_TEXT)) {
                    dropped.put(entry[0], droppedNode.requiredNumber(entry[0], 0, Long.MAX_VALUE));
                }
            }
            endpoints.add(new EndpointStats(e.requiredString("id", MAX_TEXT), e.optionalString("stats_id", MAX_TEXT),
                    e.bool("connected", false), counter(e, "packets_received"), counter(e, "packets_sent"),
                    counter(e, "bytes_received"), counter(e, "bytes_sent"), counter(e, "packets_lost"),
                    decimal(e, "fraction_lost", -1), decimal(e, "rtt_ms", -1),
                    counter(e, "bitrate_received_bps"), counter(e, "bitrate_sent_bps"), counter(e, "estimate_bps"),
                    dropped));
        }
        return new ConferenceStats(root.requiredString("meeting_id", MAX_TEXT),
                (int) root.requiredNumber("endpoint_count", 0, Integer.MAX_VALUE),
                counter(root, "packets_received"), counter(root, "packets_sent"),
                counter(root, "bytes_received"), counter(root, "bytes_sent"), counter(root, "dropped"), endpoints);
    }

    private static double decimal(JsonFields fields, String field, double absent) throws BridgeException.BadRequest {
        Double value = fields.optionalDecimal(field);
        return value == null ? absent : value;
    }

    /** {@code /about/version}, as Jitsi Videobridge writes it. */
    public byte[] writeVersion(String name, String version) {
        return bytes(mapper.createObjectNode().put("name", name).put("version", version)
                .put("os", System.getProperty("os.name", "unknown")));
    }

    /** The body of an error reply (Jitsi sends none; a message helps whoever reads the logs). */
    public byte[] writeError(String message) {
        return bytes(mapper.createObjectNode().put("error", message));
    }

    /** The message of an error reply written by {@link #writeError}, or null for any other body. */
    public String parseError(byte[] body) {
        try {
            JsonNode error = readTree(body).get("error");
            return error != null && error.isTextual() ? error.textValue() : null;
        } catch (BridgeException.BadRequest e) {
            return null;
        }
    }

    // ---------------------------------------------------------------- focus side: requests out

    /**
     * A conference request as a focus sends it: {@code meeting-id} only when creating (a PATCH names the
     * conference in its path), and endpoints being created always declare {@code source-names}.
     */
    public byte[] writeRequest(ConferenceRequest request) {
        ObjectNode root = mapper.createObjectNode();
        if (request.create()) {
            // Later requests name the conference in the PATCH path, as Jicofo's do.
            root.put("meeting-id", request.meetingId());
        }
        if (request.name() != null) {
            root.put("name", request.name());
        }
        if (request.create()) {
            root.put("create", true);
        }
        if (request.expire()) {
            root.put("expire", true);
        }
        if (!request.endpoints().isEmpty()) {
            ArrayNode endpoints = root.putArray("endpoints");
            for (EndpointRequest endpoint : request.endpoints()) {
                endpoints.add(writeEndpoint(endpoint));
            }
        }
        return bytes(root);
    }

    private ObjectNode writeEndpoint(EndpointRequest endpoint) {
        ObjectNode node = mapper.createObjectNode();
        if (endpoint.create()) {
            node.put("create", true);
        }
        node.put("id", endpoint.id());
        if (endpoint.statsId() != null) {
            node.put("stats-id", endpoint.statsId());
        }
        if (!endpoint.medias().isEmpty()) {
            ArrayNode medias = node.putArray("medias");
            endpoint.medias().forEach(media -> medias.add(writeMedia(media)));
        }
        if (endpoint.create() || endpoint.remoteTransport() != null) {
            ObjectNode transport = node.putObject("transport");
            if (endpoint.create()) {
                transport.put("ice-controlling", endpoint.iceControlling());
            }
            if (endpoint.remoteTransport() != null) {
                transport.set("transport", writeIceUdp(endpoint.remoteTransport()));
            }
        }
        if (endpoint.sources() != null) {
            node.set("sources", writeSources(endpoint.sources()));
        }
        if (endpoint.create()) {
            node.putArray("capabilities").add(SOURCE_NAMES);
        }
        if (endpoint.expire()) {
            node.put("expire", true);
        }
        return node;
    }

    private ObjectNode writeMedia(Media media) {
        ObjectNode node = mapper.createObjectNode().put("type", media.type().wire());
        ArrayNode payloadTypes = node.putArray("payload-types");
        for (PayloadType pt : media.payloadTypes()) {
            // Colibri2 (like Jingle) writes these numbers as strings.
            ObjectNode ptNode = payloadTypes.addObject()
                    .put("name", pt.name())
                    .put("id", Integer.toString(pt.id()));
            if (pt.channels() > 1) {
                ptNode.put("channels", Integer.toString(pt.channels()));
            }
            ptNode.put("clockrate", Integer.toString(pt.clockRate()));
            if (!pt.parameters().isEmpty()) {
                ObjectNode parameters = ptNode.putObject("parameters");
                new TreeMap<>(pt.parameters()).forEach(parameters::put);
            }
            if (!pt.rtcpFeedback().isEmpty()) {
                ArrayNode fbs = ptNode.putArray("rtcp-fbs");
                for (PayloadType.RtcpFeedback fb : pt.rtcpFeedback()) {
                    ObjectNode fbNode = fbs.addObject().put("type", fb.type());
                    if (fb.subtype() != null && !fb.subtype().isEmpty()) {
                        fbNode.put("subtype", fb.subtype());
                    }
                }
            }
        }
        ArrayNode extensions = node.putArray("rtp-hdrexts");
        media.headerExtensions().forEach(ext -> extensions.addObject().put("uri", ext.uri()).put("id", ext.id()));
        return node;
    }

    private ObjectNode writeIceUdp(TransportDescription transport) {
        ObjectNode node = mapper.createObjectNode()
                .put("xmlns", ICE_UDP_XMLNS)
                .put("ufrag", transport.ufrag())
                .put("pwd", transport.pwd());
        ArrayNode fingerprints = node.putArray("fingerprints");
        transport.fingerprints().forEach(fp -> fingerprints.addObject()
                .put("fingerprint", fp.fingerprint()).put("setup", fp.setup()).put("hash", fp.hash()));
        ArrayNode candidates = node.putArray("candidates");
        for (int i = 0; i < transport.candidates().size(); i++) {
            TransportDescription.Candidate c = transport.candidates().get(i);
            // id, generation and network are required by the Jingle schema but carry nothing for us.
            candidates.addObject()
                    .put("component", Integer.toString(c.component()))
                    .put("foundation", c.foundation())
                    .put("generation", "0")
                    .put("id", "c" + i)
                    .put("network", "0")
                    .put("priority", Long.toString(c.priority()))
                    .put("protocol", c.protocol())
                    .put("type", c.type())
                    .put("ip", c.ip())
                    .put("port", Integer.toString(c.port()));
        }
        node.put("rtcp-mux", transport.rtcpMux());
        return node;
    }

    private ArrayNode writeSources(List<MediaSource> sources) {
        ArrayNode array = mapper.createArrayNode();
        for (MediaSource source : sources) {
            ObjectNode node = array.addObject().put("type", source.type().wire()).put("id", source.id());
            ArrayNode ssrcs = node.putArray("sources");
            source.ssrcs().forEach(ssrc -> {
                ObjectNode ssrcNode = ssrcs.addObject().put("ssrc", ssrc.ssrc());
                if (ssrc.name() != null) {
                    ssrcNode.put("name", ssrc.name());
                }
            });
            if (!source.groups().isEmpty()) {
                ArrayNode groups = node.putArray("ssrc-groups");
                source.groups().forEach(group -> {
                    ObjectNode groupNode = groups.addObject().put("semantics", group.semantics());
                    ArrayNode members = groupNode.putArray("sources");
                    group.ssrcs().forEach(members::add);
                });
            }
        }
        return array;
    }

    // ---------------------------------------------------------------- focus side: replies in

    /** A bridge's reply to a create or modify; tolerant of fields it does not use. */
    public ConferenceReply parseReply(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.of(readTree(body), "");
        List<JsonNode> endpointNodes = root.array("endpoints", MAX_ENDPOINTS);
        List<ConferenceReply.EndpointReply> endpoints = new ArrayList<>(endpointNodes.size());
        for (int i = 0; i < endpointNodes.size(); i++) {
            JsonFields endpoint = JsonFields.of(endpointNodes.get(i), JsonFields.element("endpoints", i));
            String id = endpoint.requiredToken("id", ID);
            TransportDescription transport = null;
            JsonFields outer = endpoint.optionalObject("transport");
            JsonFields iceUdp = outer == null ? null : outer.optionalObject("transport");
            if (iceUdp != null) {
                transport = parseIceUdp(iceUdp, false);
            }
            endpoints.add(new ConferenceReply.EndpointReply(id, transport, endpoint.bool("expire", false)));
        }
        List<MediaSource> sources = parseSources(root.array("sources", MAX_SOURCES), "sources", false);
        return new ConferenceReply(endpoints, sources);
    }

    /** {@code /colibri/stats} of a LiveDesk bridge or a Jitsi Videobridge. */
    public BridgeStats parseStats(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.of(readTree(body), "");
        Double stress = root.optionalDecimal("stress_level");
        if (stress == null) {
            throw JsonFields.bad("stress_level", "is required");
        }
        return new BridgeStats(stress,
                (int) root.requiredNumber("conferences", 0, Integer.MAX_VALUE),
                (int) root.requiredNumber("endpoints", 0, Integer.MAX_VALUE),
                // A bridge that does not say it is healthy is not chosen.
                root.bool("healthy", false),
                root.bool("drain", false),
                root.bool("shutting_down", false),
                counter(root, "total_packets_received"),
                counter(root, "total_packets_sent"),
                counter(root, "total_bytes_received"),
                counter(root, "total_bytes_sent"));
    }

    private static long counter(JsonFields root, String field) throws BridgeException.BadRequest {
        Long value = root.optionalNumber(field, 0, Long.MAX_VALUE);
        return value == null ? 0 : value;
    }

    // ---------------------------------------------------------------- plumbing

    private JsonNode readTree(byte[] body) throws BridgeException.BadRequest {
        if (body == null || body.length == 0) {
            throw new BridgeException.BadRequest("the body is empty; expected a JSON object");
        }
        if (body.length > MAX_DOCUMENT_BYTES) {
            throw new BridgeException.BadRequest("the body is larger than " + MAX_DOCUMENT_BYTES + " bytes");
        }
        try {
            JsonNode tree = mapper.readTree(body);
            if (tree == null || tree.isMissingNode()) {
                throw new BridgeException.BadRequest("the body is empty; expected a JSON object");
            }
            return tree;
        } catch (JsonProcessingException e) {
            throw new BridgeException.BadRequest("malformed JSON: " + brief(e.getOriginalMessage()));
        } catch (IOException e) {
            throw new BridgeException.BadRequest("unreadable body: " + brief(e.getMessage()));
        }
    }

    private static String brief(String message) {
        if (message == null) {
            return "syntax error";
        }
        String line = message.replaceAll("[^\\x20-\\x7e]", "?");
        return line.length() > 200 ? line.substring(0, 200) + "…" : line;
    }

    private byte[] bytes(JsonNode node) {
        try {
            return mapper.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            // A tree of plain nodes always serializes; anything else is a bug here.
            throw new IllegalStateException("cannot serialize Colibri2 JSON", e);
        }
    }
}
