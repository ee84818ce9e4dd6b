package io.livedesk.media.colibri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.SpeechTapEvents;
import io.livedesk.media.api.SpeechTapRequest;
import io.livedesk.media.api.SpeechTaps;
import io.livedesk.speech.api.TranscriptEvent;
import io.livedesk.speech.api.Word;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceNames;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.HeaderExtension;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.api.TransportDescription;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static io.livedesk.media.colibri.Colibri2Documents.MAX_TEXT;
import static io.livedesk.media.colibri.Colibri2Parts.ID;
import static io.livedesk.media.colibri.Colibri2Parts.MAX_ENDPOINTS;
import static io.livedesk.media.colibri.Colibri2Parts.MAX_SOURCES;
import static io.livedesk.media.colibri.Colibri2Parts.TOKEN;

/**
 * The bridge's side of Colibri2's JSON (Jitsi Videobridge's REST interface): reads the requests a focus
 * sends and writes the replies, statistics and errors a bridge answers with.
 *
 * <p>Requests are read strictly: every field is type- and range-checked, arrays are bounded, and any
 * failure is a {@link BridgeException.BadRequest} naming the field. Numbers that Colibri2 writes as
 * strings (payload-type ids, clock rates, candidate fields) are accepted as strings or numbers. Fields of
 * the real protocol are handled deliberately:
 * <ul>
 *   <li>supported: conference {@code meeting-id}, {@code name}, {@code create}, {@code expire},
 *       {@code endpoints}, {@code relays} (see {@link #parseRelay}); endpoint {@code id}, {@code create}, {@code expire}, {@code stats-id},
 *       {@code medias}, {@code transport} ({@code ice-controlling} and the ICE-UDP {@code transport}),
 *       {@code sources}, {@code capabilities} (must contain {@code source-names} on create);</li>
 *   <li>ignored, because dropping them changes nothing a LiveDesk bridge does:
 *       {@code callstats-enabled}, {@code rtcstats-enabled}, endpoint {@code initial-last-n} (the bridge
 *       forwards everything), media {@code extmap-allow-mixed}, source {@code videoType}, candidate
 *       {@code id}, {@code generation}, {@code network}, {@code rel-addr}, {@code rel-port},
 *       {@code tcptype} (informational in ICE);</li>
 *   <li>refused with 400, because accepting them would silently drop a feature the sender relies on:
 *       {@code connects} (no media export),
 *       endpoint {@code force-mute} and {@code sctp}, transport {@code ice-restart},
 *       {@code use-unique-port} and {@code web-sockets} (no WebSocket bridge channel);</li>
 *   <li>anything else unknown is refused too, so a new protocol feature fails loudly.</li>
 * </ul>
 * {@link Colibri2ClientCodec} is the other side.
 */
public final class Colibri2BridgeCodec {

    /**
     * LiveDesk's extension: the height the endpoint shows video at, capping the simulcast layer it gets (Jitsi
     * Videobridge takes receiver constraints over its bridge channel instead).
     */
    static final String MAX_VIDEO_HEIGHT = "max-video-height";

    /** The capability every endpoint must declare; the bridge signals sources by name only. */
    static final String SOURCE_NAMES = "source-names";

    // Bounds on what only requests carry.
    static final int MAX_MEDIAS = 2;
    static final int MAX_PAYLOAD_TYPES = 64;
    static final int MAX_RTCP_FBS = 16;
    static final int MAX_PARAMETERS = 32;
    static final int MAX_HDREXTS = 32;
    static final int MAX_CAPABILITIES = 16;
    /** Relays of one conference: one per other bridge of the mesh. */
    static final int MAX_RELAYS = 16;

    private final Colibri2Documents documents = new Colibri2Documents();

    // ---------------------------------------------------------------- requests in

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
        ConferenceRequest request = parseConference(body, parsePathMeetingId(meetingId));
        if (request.create()) {
            throw new BridgeException.BadRequest("create a conference with POST /colibri/v2/conferences/");
        }
        return request;
    }

    /** The {@code {meetingId}} segment of a path, percent-decoded. */
    MeetingId parsePathMeetingId(String meetingId) throws BridgeException.BadRequest {
        return MeetingId.parse(meetingId, "meeting-id in the path");
    }

    private ConferenceRequest parseConference(byte[] body, MeetingId pathMeetingId) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.strict(documents.read(body), "");
        MeetingId meetingId;
        if (pathMeetingId == null) {
            meetingId = MeetingId.parse(root.requiredString("meeting-id", MAX_TEXT), "meeting-id");
        } else {
            meetingId = pathMeetingId;
            String inBody = root.optionalString("meeting-id", MAX_TEXT);
            if (inBody != null && !inBody.equals(pathMeetingId.value())) {
                throw JsonFields.bad("meeting-id", "does not match the conference in the path");
            }
        }
        String name = root.optionalString("name", MAX_TEXT);
        if (name != null && !ConferenceNames.isBareJid(name)) {
            // Jitsi Videobridge's rule: refused here too, so that a focus that breaks it fails against either bridge.
            throw JsonFields.bad("name", "is not a bare JID (local@domain): invalid conference name");
        }
        boolean create = root.bool("create", false);
        boolean expire = root.bool("expire", false);
        root.ignore("callstats-enabled", "rtcstats-enabled");
        root.refuse("connects", "this bridge does not export media");

        List<JsonNode> endpointNodes = root.array("endpoints", MAX_ENDPOINTS);
        List<EndpointRequest> endpoints = new ArrayList<>(endpointNodes.size());
        Set<String> endpointIds = new HashSet<>();
        for (int i = 0; i < endpointNodes.size(); i++) {
            EndpointRequest endpoint = parseEndpoint(root.element(endpointNodes.get(i), "endpoints", i));
            if (!endpointIds.add(endpoint.id())) {
                throw JsonFields.bad(JsonFields.element("endpoints", i), "repeats endpoint " + endpoint.id());
            }
            endpoints.add(endpoint);
        }
        List<JsonNode> relayNodes = root.array("relays", MAX_RELAYS);
        List<RelayRequest> relays = new ArrayList<>(relayNodes.size());
        Set<String> relayIds = new HashSet<>();
        for (int i = 0; i < relayNodes.size(); i++) {
            RelayRequest relay = parseRelay(root.element(relayNodes.get(i), "relays", i));
            if (!relayIds.add(relay.id())) {
                throw JsonFields.bad(JsonFields.element("relays", i), "repeats relay " + relay.id());
            }
            relays.add(relay);
        }
        root.rejectUnread();
        if (expire && (create || !endpoints.isEmpty() || !relays.isEmpty())) {
            throw new BridgeException.BadRequest(
                    "expire of a conference cannot be combined with create, endpoints or relays");
        }
        return new ConferenceRequest(meetingId, name, create, expire, endpoints, relays);
    }

    private static EndpointRequest parseEndpoint(JsonFields endpoint) throws BridgeException.BadRequest {
        String id = endpoint.requiredToken("id", ID);
        boolean create = endpoint.bool("create", false);
        boolean expire = endpoint.bool("expire", false);
        String statsId = endpoint.optionalString("stats-id", MAX_TEXT);
        List<Media> medias = parseMedias(endpoint, endpoint.array("medias", MAX_MEDIAS));

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
                remoteTransport = Colibri2Parts.readIceUdp(iceUdp);
            }
            transport.rejectUnread();
        }

        List<JsonNode> sourceNodes = endpoint.optionalArray("sources", MAX_SOURCES);
        List<MediaSource> sources = sourceNodes == null ? null
                : Colibri2Parts.readSources(endpoint, sourceNodes);

        Set<String> capabilities = parseCapabilities(endpoint);
        if (create && !capabilities.contains(SOURCE_NAMES)) {
            throw JsonFields.bad(endpoint.pathOf("capabilities"),
                    "must contain \"" + SOURCE_NAMES + "\": source name support is mandatory");
        }
        Long maxVideoHeight = endpoint.optionalNumber(MAX_VIDEO_HEIGHT, 0, EndpointRequest.MAX_VIDEO_HEIGHT);
        endpoint.ignore("initial-last-n");
        endpoint.refuse("force-mute", "the bridge does not mute endpoints");
        endpoint.refuse("sctp", "this bridge has no SCTP data channel");
        endpoint.rejectUnread();
        if (create && expire) {
            throw JsonFields.bad(endpoint.path(), "cannot both create and expire the endpoint");
        }
        return new EndpointRequest(id, create, expire, statsId, medias, remoteTransport, sources, iceControlling,
                maxVideoHeight == null ? null : maxVideoHeight.intValue());
    }

    /**
     * A relay to another bridge, as Jicofo writes it: {@code id} (the other bridge's relay id), {@code create} /
     * {@code expire}, {@code mesh-id}, {@code transport} ({@code ice-controlling}, {@code use-unique-port}, and the
     * other side's ICE-UDP {@code transport} once swapped), {@code medias}, and the other bridge's {@code endpoints}
     * (each {@code id}, {@code create} / {@code expire}, {@code stats-id}, {@code sources}).
     */
    private static RelayRequest parseRelay(JsonFields relay) throws BridgeException.BadRequest {
        String id = relay.requiredToken("id", ID);
        boolean create = relay.bool("create", false);
        boolean expire = relay.bool("expire", false);
        String meshId = relay.optionalString("mesh-id", MAX_TEXT);
        List<Media> medias = parseMedias(relay, relay.array("medias", MAX_MEDIAS));
        boolean iceControlling = false;
        TransportDescription remoteTransport = null;
        JsonFields transport = relay.optionalObject("transport");
        if (transport != null) {
            iceControlling = transport.bool("ice-controlling", false);
            // Every relay has its own ICE agent and ufrag; whether it also has its own port changes nothing here.
            transport.ignore("use-unique-port");
            transport.refuse("ice-restart", "ICE restarts of relays are not implemented; expire and re-create it");
            transport.refuse("sctp", "relays carry no SCTP");
            transport.refuse("web-sockets", "this bridge has no WebSocket bridge channel");
            JsonFields iceUdp = transport.optionalObject("transport");
            if (iceUdp != null) {
                remoteTransport = Colibri2Parts.readIceUdp(iceUdp);
            }
            transport.rejectUnread();
        } else if (create) {
            throw JsonFields.bad(relay.pathOf("transport"), "is required to create a relay (ice-controlling)");
        }
        List<JsonNode> endpointNodes = relay.array("endpoints", MAX_ENDPOINTS);
        List<RelayRequest.RemoteEndpoint> endpoints = new ArrayList<>(endpointNodes.size());
        Set<String> endpointIds = new HashSet<>();
        for (int i = 0; i < endpointNodes.size(); i++) {
            JsonFields endpoint = relay.element(endpointNodes.get(i), "endpoints", i);
            String endpointId = endpoint.requiredToken("id", ID);
            if (!endpointIds.add(endpointId)) {
                throw JsonFields.bad(endpoint.path(), "repeats endpoint " + endpointId);
            }
            boolean endpointCreate = endpoint.bool("create", false);
            boolean endpointExpire = endpoint.bool("expire", false);
            if (endpointCreate && endpointExpire) {
                throw JsonFields.bad(endpoint.path(), "cannot both create and expire the endpoint");
            }
            String statsId = endpoint.optionalString("stats-id", MAX_TEXT);
            List<JsonNode> sourceNodes = endpoint.optionalArray("sources", MAX_SOURCES);
            List<MediaSource> sources = sourceNodes == null ? null : Colibri2Parts.readSources(endpoint, sourceNodes);
            endpoint.ignore("capabilities");
            endpoint.rejectUnread();
            endpoints.add(new RelayRequest.RemoteEndpoint(endpointId, endpointCreate, endpointExpire, statsId, sources));
        }
        relay.rejectUnread();
        if (create && expire) {
            throw JsonFields.bad(relay.path(), "cannot both create and expire the relay");
        }
        return new RelayRequest(id, create, expire, meshId, iceControlling, remoteTransport, medias, endpoints);
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

    private static List<Media> parseMedias(JsonFields endpoint, List<JsonNode> nodes) throws BridgeException.BadRequest {
        List<Media> medias = new ArrayList<>(nodes.size());
        Set<MediaType> types = EnumSet.noneOf(MediaType.class);
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields media = endpoint.element(nodes.get(i), "medias", i);
            MediaType type = Colibri2Parts.mediaType(media);
            if (!types.add(type)) {
                throw JsonFields.bad(media.path(), "repeats media type " + type.wire());
            }
            List<JsonNode> ptNodes = media.array("payload-types", MAX_PAYLOAD_TYPES);
            List<PayloadType> payloadTypes = new ArrayList<>(ptNodes.size());
            Set<Integer> ptIds = new HashSet<>();
            for (int j = 0; j < ptNodes.size(); j++) {
                PayloadType pt = parsePayloadType(media.element(ptNodes.get(j), "payload-types", j));
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
                JsonFields ext = media.element(extNodes.get(j), "rtp-hdrexts", j);
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

    private static PayloadType parsePayloadType(JsonFields pt) throws BridgeException.BadRequest {
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
            JsonFields fb = pt.element(fbNodes.get(i), "rtcp-fbs", i);
            String type = fb.requiredToken("type", TOKEN);
            String subtype = fb.optionalString("subtype", MAX_TEXT);
            fb.rejectUnread();
            feedback.add(new PayloadType.RtcpFeedback(type, subtype == null ? "" : subtype));
        }
        pt.rejectUnread();
        return new PayloadType(id, name, clockRate, channels == null ? 1 : channels.intValue(), parameters, feedback);
    }

    /**
     * The body of {@code POST /livedesk/media-status} (ours, like the conference statistics):
     * {@code {"meeting_ids":["…",…]}}, at most {@link Colibri2Parts#MAX_MEDIA_STATUS_MEETINGS} of them.
     */
    public List<MeetingId> parseMediaStatusRequest(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.strict(documents.read(body), "");
        List<JsonNode> nodes = root.array("meeting_ids", Colibri2Parts.MAX_MEDIA_STATUS_MEETINGS);
        root.rejectUnread();
        List<MeetingId> meetingIds = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String path = JsonFields.element("meeting_ids", i);
            if (!node.isTextual()) {
                throw JsonFields.bad(path, "must be a string");
            }
            meetingIds.add(MeetingId.parse(node.textValue(), path));
        }
        return meetingIds;
    }

    /**
     * The body of {@code POST /livedesk/taps} (ours): {@code {"meeting-id","endpoint-id","language","sample-rate",
     * "speech-urls":[…]}}. The speech URLs must be {@code ws://} or {@code wss://} with a host, at most
     * {@link SpeechTapRequest#MAX_SPEECH_URLS} of at most {@link SpeechTapRequest#MAX_URL_LENGTH} characters: the
     * bridge connects to them, so they are checked as strictly as everything else here.
     */
    public SpeechTapRequest parseSpeechTapRequest(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.strict(documents.read(body), "");
        MeetingId meetingId = MeetingId.parse(root.requiredString("meeting-id", MAX_TEXT), "meeting-id");
        String endpointId = root.requiredToken("endpoint-id", ID);
        String language = root.requiredToken("language", SpeechTapRequest.LANGUAGE);
        int sampleRate = (int) root.requiredNumber("sample-rate", SpeechTapRequest.MIN_SAMPLE_RATE,
                SpeechTapRequest.MAX_SAMPLE_RATE);
        List<JsonNode> nodes = root.array("speech-urls", SpeechTapRequest.MAX_SPEECH_URLS);
        root.rejectUnread();
        if (nodes.isEmpty()) {
            throw JsonFields.bad("speech-urls", "needs at least one URL");
        }
        List<URI> urls = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonNode node = nodes.get(i);
            String path = JsonFields.element("speech-urls", i);
            if (!node.isTextual() || node.textValue().length() > SpeechTapRequest.MAX_URL_LENGTH) {
                throw JsonFields.bad(path, "must be a string of at most " + SpeechTapRequest.MAX_URL_LENGTH
                        + " characters");
            }
            URI url;
            try {
                url = new URI(node.textValue());
            } catch (URISyntaxException e) {
                throw JsonFields.bad(path, "is not a URL");
            }
            String problem = SpeechTapRequest.urlProblem(url);
            if (problem != null) {
                throw JsonFields.bad(path, "is refused: " + problem);
            }
            urls.add(url);
        }
        return new SpeechTapRequest(meetingId, endpointId, language, sampleRate, urls);
    }

    /**
     * The body of {@code POST /livedesk/tap-events} (ours): {@code {"taps":{"<tap id>":<cursor>,…}}}, at most
     * {@link SpeechTaps#MAX_TAPS_PER_POLL} taps; a cursor counts the events of that tap already received.
     */
    public Map<String, Long> parseTapEventsRequest(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.strict(documents.read(body), "");
        List<String[]> entries = root.stringMap("taps", SpeechTaps.MAX_TAPS_PER_POLL, 64);
        root.rejectUnread();
        Map<String, Long> cursors = new LinkedHashMap<>();
        for (String[] e : entries) {
            String path = "taps." + e[0];
            if (!SpeechTaps.TAP_ID.matcher(e[0]).matches()) {
                throw JsonFields.bad("taps", "has a key that is not a tap id");
            }
            try {
                long cursor = Long.parseLong(e[1]);
                if (cursor < 0) {
                    throw JsonFields.bad(path, "must not be negative");
                }
                cursors.put(e[0], cursor);
            } catch (NumberFormatException ex) {
                throw JsonFields.bad(path, "must be a whole number");
            }
        }
        return cursors;
    }

    // ---------------------------------------------------------------- replies out

    /** The reply to a create or modify: transports of created endpoints, expire echoes, bridge sources. */
    public byte[] writeReply(ConferenceReply reply) {
        ObjectNode root = documents.object();
        if (!reply.endpoints().isEmpty()) {
            ArrayNode endpoints = root.putArray("endpoints");
            for (ConferenceReply.EndpointReply endpoint : reply.endpoints()) {
                ObjectNode node = endpoints.addObject().put("id", endpoint.id());
                if (endpoint.transport() != null) {
                    node.putObject("transport").set("transport", Colibri2Parts.writeIceUdp(endpoint.transport()));
                }
                if (endpoint.expired()) {
                    node.put("expire", true);
                }
            }
        }
        if (!reply.relays().isEmpty()) {
            ArrayNode relays = root.putArray("relays");
            for (ConferenceReply.RelayReply relay : reply.relays()) {
                ObjectNode node = relays.addObject().put("id", relay.id());
                if (relay.transport() != null) {
                    node.putObject("transport").set("transport", Colibri2Parts.writeIceUdp(relay.transport()));
                }
                if (relay.expired()) {
                    node.put("expire", true);
                }
            }
        }
        if (!reply.bridgeSources().isEmpty()) {
            root.set("sources", Colibri2Parts.writeSources(reply.bridgeSources()));
        }
        return documents.write(root);
    }

    /** The reply to {@code {"expire":true}} on a conference. */
    public byte[] writeConferenceExpired() {
        return documents.write(documents.object());
    }

    /** {@code /colibri/stats}, with Jitsi Videobridge's field names. */
    public byte[] writeStats(BridgeStats stats, String version) {
        ObjectNode root = documents.object()
                .put("stress_level", stats.stressLevel())
                .put("conferences", stats.conferences())
                .put("endpoints", stats.endpoints())
                .put("relays", stats.relays())
                .put("healthy", stats.healthy())
                .put("drain", stats.draining())
                .put("shutting_down", stats.shuttingDown())
                .put("version", version);
        if (stats.region() != null) {
            root.put("region", stats.region());
        }
        root.put("total_packets_received", stats.packetsIn())
                .put("total_packets_sent", stats.packetsOut())
                .put("total_bytes_received", stats.bytesIn())
                .put("total_bytes_sent", stats.bytesOut());
        return documents.write(root);
    }

    /**
     * Per-endpoint statistics of one conference: a LiveDesk extension, not Colibri2, so the field names
     * follow {@code /colibri/stats} (snake case) rather than any Jitsi debug format.
     */
    public byte[] writeConferenceStats(ConferenceStats stats) {
        ObjectNode root = documents.object()
                .put("meeting_id", stats.meetingId().value())
                .put("endpoint_count", stats.endpointCount())
                .put("packets_received", stats.packetsIn())
                .put("packets_sent", stats.packetsOut())
                .put("bytes_received", stats.bytesIn())
                .put("bytes_sent", stats.bytesOut())
                .put("dropped", stats.dropped());
        writeEndpointStats(root.putArray("endpoints"), stats.endpoints());
        if (!stats.relays().isEmpty()) {
            writeEndpointStats(root.putArray("relays"), stats.relays());
        }
        return documents.write(root);
    }

    private static void writeEndpointStats(ArrayNode endpoints, List<EndpointStats> list) {
        for (EndpointStats e : list) {
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
                    .put("estimate_bps", e.estimateBps())
                    .put("downlink_estimate_bps", e.downlinkEstimateBps())
                    .put("transport_feedbacks_received", e.transportFeedbacksIn());
            ObjectNode dropped = node.putObject("dropped");
            new TreeMap<>(e.dropped()).forEach(dropped::put);
        }
    }

    /** The reply to {@code POST /livedesk/media-status}: one entry per endpoint of the conferences asked about. */
    public byte[] writeMediaStatus(List<EndpointMedia> status) {
        ObjectNode root = documents.object();
        ArrayNode endpoints = root.putArray("endpoints");
        for (EndpointMedia e : status) {
            ObjectNode node = endpoints.addObject().put("meeting_id", e.meetingId().value()).put("id", e.endpointId())
                    .put("media", e.flow().wire());
            if (e.relay()) {
                node.put("relay", true);
            }
        }
        return documents.write(root);
    }

    /** The reply to {@code POST /livedesk/taps}. */
    public byte[] writeTapOpened(String tapId) {
        return documents.write(documents.object().put("tap-id", tapId));
    }

    /**
     * The reply to {@code POST /livedesk/tap-events}: per tap its {@code next} cursor, {@code lag-ms}, {@code gone}
     * and its {@code events} ({@code {"type":"partial","text"}}, {@code {"type":"final","text","start","end",
     * "words":[{"word","start","end","conf"}]}} with times in epoch seconds, {@code {"type":"status","state","reason"}}).
     */
    public byte[] writeTapEvents(SpeechTapEvents events) {
        ObjectNode root = documents.object();
        ObjectNode taps = root.putObject("taps");
        for (SpeechTapEvents.Tap tap : events.taps()) {
            ObjectNode node = taps.putObject(tap.tapId()).put("next", tap.next()).put("lag-ms", tap.lagMillis());
            if (tap.gone()) {
                node.put("gone", true);
            }
            ArrayNode list = node.putArray("events");
            for (TranscriptEvent e : tap.events()) {
                ObjectNode out = list.addObject();
                if (e instanceof TranscriptEvent.Partial p) {
                    out.put("type", "partial").put("text", p.text());
                } else if (e instanceof TranscriptEvent.Final f) {
                    out.put("type", "final").put("text", f.text()).put("start", f.start()).put("end", f.end());
                    ArrayNode words = out.putArray("words");
                    for (Word w : f.words()) {
                        words.addObject().put("word", w.word()).put("start", w.start()).put("end", w.end())
                                .put("conf", w.conf());
                    }
                } else if (e instanceof TranscriptEvent.Status st) {
                    out.put("type", "status").put("state", st.state().name().toLowerCase(Locale.ROOT))
                            .put("reason", st.reason());
                }
            }
        }
        return documents.write(root);
    }

    /** {@code /about/version}, as Jitsi Videobridge writes it. */
    public byte[] writeVersion(String name, String version) {
        return documents.write(documents.object().put("name", name).put("version", version)
                .put("os", System.getProperty("os.name", "unknown")));
    }

    /** {@code GET /colibri/drain}, and the reply to changing it: Jitsi Videobridge's {@code {"drain":…}}. */
    public byte[] writeDrain(boolean draining) {
        return documents.write(documents.object().put("drain", draining));
    }

    /** The body of an error reply (Jitsi sends none; a message helps whoever reads the logs). */
    public byte[] writeError(String message) {
        return documents.write(documents.object().put("error", message));
    }
}
