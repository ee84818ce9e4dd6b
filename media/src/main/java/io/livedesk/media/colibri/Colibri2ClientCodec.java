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
import io.livedesk.media.api.BridgeStats;
import io.livedesk.media.api.ConferenceReply;
import io.livedesk.media.api.ConferenceRequest;
import io.livedesk.media.api.ConferenceStats;
import io.livedesk.media.api.EndpointMedia;
import io.livedesk.media.api.EndpointRequest;
import io.livedesk.media.api.EndpointStats;
import io.livedesk.media.api.Media;
import io.livedesk.media.api.MediaFlow;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.PayloadType;
import io.livedesk.media.api.RelayRequest;
import io.livedesk.media.api.TransportDescription;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import static io.livedesk.media.colibri.Colibri2Documents.MAX_TEXT;
import static io.livedesk.media.colibri.Colibri2Parts.ID;
import static io.livedesk.media.colibri.Colibri2Parts.MAX_ENDPOINTS;
import static io.livedesk.media.colibri.Colibri2Parts.MAX_SOURCES;

/**
 * The focus's side of Colibri2's JSON: writes requests as Jicofo does, and reads the replies, statistics
 * and errors of a LiveDesk bridge node or a Jitsi Videobridge. Replies are read tolerantly (fields it
 * does not use, such as {@code web-sockets}, are skipped, so a newer bridge does not break it), but the
 * fields used are still checked. {@link Colibri2BridgeCodec} is the other side.
 */
public final class Colibri2ClientCodec {

    private final Colibri2Documents documents = new Colibri2Documents();

    // ---------------------------------------------------------------- requests out

    /**
     * A conference request as a focus sends it: {@code meeting-id} only when creating (a PATCH names the
     * conference in its path), and endpoints being created always declare {@code source-names}.
     */
    public byte[] writeRequest(ConferenceRequest request) {
        ObjectNode root = documents.object();
        if (request.create()) {
            // Later requests name the conference in the PATCH path, as Jicofo's do.
            root.put("meeting-id", request.meetingId().value());
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
        if (!request.relays().isEmpty()) {
            ArrayNode relays = root.putArray("relays");
            for (RelayRequest relay : request.relays()) {
                relays.add(writeRelay(relay));
            }
        }
        return documents.write(root);
    }

    private ObjectNode writeEndpoint(EndpointRequest endpoint) {
        ObjectNode node = documents.object();
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
                transport.set("transport", Colibri2Parts.writeIceUdp(endpoint.remoteTransport()));
            }
        }
        if (endpoint.sources() != null) {
            node.set("sources", Colibri2Parts.writeSources(endpoint.sources()));
        }
        if (endpoint.maxVideoHeight() != null) {
            node.put(Colibri2BridgeCodec.MAX_VIDEO_HEIGHT, endpoint.maxVideoHeight());
        }
        if (endpoint.create()) {
            node.putArray("capabilities").add(Colibri2BridgeCodec.SOURCE_NAMES);
        }
        if (endpoint.expire()) {
            node.put("expire", true);
        }
        return node;
    }

    /** A relay as Jicofo writes one: its transport only when creating it or passing on the other side's. */
    private ObjectNode writeRelay(RelayRequest relay) {
        ObjectNode node = documents.object().put("id", relay.id());
        if (relay.create()) {
            node.put("create", true);
        }
        if (relay.meshId() != null) {
            node.put("mesh-id", relay.meshId());
        }
        if (!relay.medias().isEmpty()) {
            ArrayNode medias = node.putArray("medias");
            relay.medias().forEach(media -> medias.add(writeMedia(media)));
        }
        if (relay.create() || relay.remoteTransport() != null) {
            ObjectNode transport = node.putObject("transport");
            if (relay.create()) {
                transport.put("ice-controlling", relay.iceControlling());
                transport.put("use-unique-port", false);
            }
            if (relay.remoteTransport() != null) {
                transport.set("transport", Colibri2Parts.writeIceUdp(relay.remoteTransport()));
            }
        }
        if (!relay.endpoints().isEmpty()) {
            ArrayNode endpoints = node.putArray("endpoints");
            for (RelayRequest.RemoteEndpoint e : relay.endpoints()) {
                ObjectNode en = endpoints.addObject().put("id", e.id());
                if (e.create()) {
                    en.put("create", true);
                }
                if (e.statsId() != null) {
                    en.put("stats-id", e.statsId());
                }
                if (e.sources() != null) {
                    en.set("sources", Colibri2Parts.writeSources(e.sources()));
                }
                if (e.expire()) {
                    en.put("expire", true);
                }
            }
        }
        if (relay.expire()) {
            node.put("expire", true);
        }
        return node;
    }

    private ObjectNode writeMedia(Media media) {
        ObjectNode node = documents.object().put("type", media.type().wire());
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

    /** The body of {@code POST /livedesk/media-status}, as {@link Colibri2BridgeCodec#parseMediaStatusRequest} reads it. */
    public byte[] writeMediaStatusRequest(Collection<MeetingId> meetingIds) {
        ObjectNode root = documents.object();
        ArrayNode ids = root.putArray("meeting_ids");
        meetingIds.forEach(id -> ids.add(id.value()));
        return documents.write(root);
    }

    /** The body of {@code POST /livedesk/taps}, as {@link Colibri2BridgeCodec#parseSpeechTapRequest} reads it. */
    public byte[] writeSpeechTapRequest(SpeechTapRequest request) {
        ObjectNode root = documents.object()
                .put("meeting-id", request.meetingId().value())
                .put("endpoint-id", request.endpointId())
                .put("language", request.language())
                .put("sample-rate", request.sampleRate());
        ArrayNode urls = root.putArray("speech-urls");
        request.speechUrls().forEach(u -> urls.add(u.toString()));
        return documents.write(root);
    }

    /** The body of {@code POST /livedesk/tap-events}: each tap's cursor. */
    public byte[] writeTapEventsRequest(Map<String, Long> cursors) {
        ObjectNode root = documents.object();
        ObjectNode taps = root.putObject("taps");
        cursors.forEach(taps::put);
        return documents.write(root);
    }

    // ---------------------------------------------------------------- replies in

    /** The reply to {@code POST /livedesk/taps}: the tap's id. */
    public String parseTapOpened(byte[] body) throws BridgeException.BadRequest {
        return JsonFields.tolerant(documents.read(body), "").requiredToken("tap-id", SpeechTaps.TAP_ID);
    }

    /** The reply to {@code POST /livedesk/tap-events}, as {@link Colibri2BridgeCodec#writeTapEvents} writes it. */
    public SpeechTapEvents parseTapEvents(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.tolerant(documents.read(body), "");
        JsonFields taps = root.optionalObject("taps");
        List<SpeechTapEvents.Tap> out = new ArrayList<>();
        if (taps == null) {
            return new SpeechTapEvents(out);
        }
        JsonNode tapsNode = documents.read(body).get("taps");
        var names = tapsNode.fieldNames();
        while (names.hasNext()) {
            String id = names.next();
            if (!SpeechTaps.TAP_ID.matcher(id).matches()) {
                throw JsonFields.bad("taps", "has a key that is not a tap id");
            }
            JsonFields tap = taps.nested(tapsNode.get(id), "taps." + id);
            long next = tap.requiredNumber("next", 0, Long.MAX_VALUE);
            Long lag = tap.optionalNumber("lag-ms", 0, Long.MAX_VALUE);
            boolean gone = tap.bool("gone", false);
            List<JsonNode> eventNodes = tap.array("events", Integer.MAX_VALUE);
            List<TranscriptEvent> events = new ArrayList<>(eventNodes.size());
            for (int i = 0; i < eventNodes.size(); i++) {
                events.add(readEvent(tap.element(eventNodes.get(i), "events", i)));
            }
            out.add(new SpeechTapEvents.Tap(id, next, lag == null ? 0 : lag, gone, events));
        }
        return new SpeechTapEvents(out);
    }

    private static TranscriptEvent readEvent(JsonFields e) throws BridgeException.BadRequest {
        String type = e.requiredString("type", MAX_TEXT);
        switch (type) {
            case "partial":
                return new TranscriptEvent.Partial(e.requiredString("text", 16 * 1024));
            case "final": {
                List<JsonNode> wordNodes = e.array("words", 10_000);
                List<Word> words = new ArrayList<>(wordNodes.size());
                for (int i = 0; i < wordNodes.size(); i++) {
                    JsonFields w = e.element(wordNodes.get(i), "words", i);
                    words.add(new Word(w.requiredString("word", MAX_TEXT), w.decimal("start", 0), w.decimal("end", 0),
                            w.decimal("conf", 0)));
                }
                return new TranscriptEvent.Final(e.requiredString("text", 16 * 1024), words, e.decimal("start", 0),
                        e.decimal("end", 0));
            }
            case "status": {
                String state = e.requiredString("state", MAX_TEXT);
                TranscriptEvent.StreamState s = switch (state) {
                    case "ended" -> TranscriptEvent.StreamState.ENDED;
                    case "shed" -> TranscriptEvent.StreamState.SHED;
                    case "failed" -> TranscriptEvent.StreamState.FAILED;
                    default -> throw JsonFields.bad(e.pathOf("state"), "is not ended, shed or failed");
                };
                String reason = e.optionalString("reason", 16 * 1024);
                return new TranscriptEvent.Status(s, reason == null ? "" : reason);
            }
            default:
                throw JsonFields.bad(e.pathOf("type"), "is not partial, final or status");
        }
    }

    /** A bridge's reply to a create or modify. */
    public ConferenceReply parseReply(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.tolerant(documents.read(body), "");
        List<JsonNode> endpointNodes = root.array("endpoints", MAX_ENDPOINTS);
        List<ConferenceReply.EndpointReply> endpoints = new ArrayList<>(endpointNodes.size());
        for (int i = 0; i < endpointNodes.size(); i++) {
            JsonFields endpoint = root.element(endpointNodes.get(i), "endpoints", i);
            String id = endpoint.requiredToken("id", ID);
            TransportDescription transport = null;
            JsonFields outer = endpoint.optionalObject("transport");
            JsonFields iceUdp = outer == null ? null : outer.optionalObject("transport");
            if (iceUdp != null) {
                transport = Colibri2Parts.readIceUdp(iceUdp);
            }
            endpoints.add(new ConferenceReply.EndpointReply(id, transport, endpoint.bool("expire", false)));
        }
        List<JsonNode> relayNodes = root.array("relays", Colibri2BridgeCodec.MAX_RELAYS);
        List<ConferenceReply.RelayReply> relays = new ArrayList<>(relayNodes.size());
        for (int i = 0; i < relayNodes.size(); i++) {
            JsonFields relay = root.element(relayNodes.get(i), "relays", i);
            JsonFields outer = relay.optionalObject("transport");
            JsonFields iceUdp = outer == null ? null : outer.optionalObject("transport");
            relays.add(new ConferenceReply.RelayReply(relay.requiredToken("id", ID),
                    iceUdp == null ? null : Colibri2Parts.readIceUdp(iceUdp), relay.bool("expire", false)));
        }
        List<MediaSource> sources = Colibri2Parts.readSources(root, root.array("sources", MAX_SOURCES));
        return new ConferenceReply(endpoints, sources, relays);
    }

    /** {@code /colibri/stats} of a LiveDesk bridge or a Jitsi Videobridge. */
    public BridgeStats parseStats(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.tolerant(documents.read(body), "");
        Double stress = root.optionalDecimal("stress_level");
        if (stress == null) {
            throw JsonFields.bad("stress_level", "is required");
        }
        // LiveDesk's bridges count their relays; a bridge that does not say has none as far as we know.
        Long relays = root.optionalNumber("relays", 0, Integer.MAX_VALUE);
        return new BridgeStats(stress,
                (int) root.requiredNumber("conferences", 0, Integer.MAX_VALUE),
                (int) root.requiredNumber("endpoints", 0, Integer.MAX_VALUE),
                // A bridge that does not say it is healthy is not chosen.
                root.bool("healthy", false),
                root.bool("drain", false),
                root.bool("shutting_down", false),
                root.counter("total_packets_received"),
                root.counter("total_packets_sent"),
                root.counter("total_bytes_received"),
                root.counter("total_bytes_sent"),
                // Jitsi Videobridge names its region when one is configured; ours has none.
                root.optionalString("region", MAX_TEXT),
                root.optionalString("version", MAX_TEXT),
                relays == null ? 0 : relays.intValue());
    }

    /** {@code GET /colibri/drain} of either kind of bridge: {@code {"drain":true}}. */
    public boolean parseDrain(byte[] body) throws BridgeException.BadRequest {
        return JsonFields.tolerant(documents.read(body), "").bool("drain", false);
    }

    /** The statistics of one conference, as {@link Colibri2BridgeCodec#writeConferenceStats} writes them. */
    public ConferenceStats parseConferenceStats(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.tolerant(documents.read(body), "");
        List<EndpointStats> endpoints = parseEndpointStats(root, "endpoints");
        List<EndpointStats> relays = parseEndpointStats(root, "relays");
        return new ConferenceStats(MeetingId.parse(root.requiredString("meeting_id", MAX_TEXT), "meeting_id"),
                (int) root.requiredNumber("endpoint_count", 0, Integer.MAX_VALUE),
                root.counter("packets_received"), root.counter("packets_sent"),
                root.counter("bytes_received"), root.counter("bytes_sent"), root.counter("dropped"), endpoints,
                relays);
    }

    private static List<EndpointStats> parseEndpointStats(JsonFields root, String field)
            throws BridgeException.BadRequest {
        List<JsonNode> nodes = root.array(field, 10_000);
        List<EndpointStats> endpoints = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields e = root.element(nodes.get(i), field, i);
            Map<String, Long> dropped = new LinkedHashMap<>();
            JsonFields droppedNode = e.optionalObject("dropped");
            if (droppedNode != null) {
                for (String[] entry : e.stringMap("dropped", 64, MAX_TEXT)) {
                    dropped.put(entry[0], droppedNode.requiredNumber(entry[0], 0, Long.MAX_VALUE));
                }
            }
            endpoints.add(new EndpointStats(e.requiredString("id", MAX_TEXT), e.optionalString("stats_id", MAX_TEXT),
                    e.bool("connected", false), e.counter("packets_received"), e.counter("packets_sent"),
                    e.counter("bytes_received"), e.counter("bytes_sent"), e.counter("packets_lost"),
                    e.decimal("fraction_lost", -1), e.decimal("rtt_ms", -1),
                    e.counter("bitrate_received_bps"), e.counter("bitrate_sent_bps"), e.counter("estimate_bps"),
                    e.counter("downlink_estimate_bps"), e.counter("transport_feedbacks_received"), dropped));
        }
        return endpoints;
    }

    /** The media status of endpoints, as {@link Colibri2BridgeCodec#writeMediaStatus} writes it. */
    public List<EndpointMedia> parseMediaStatus(byte[] body) throws BridgeException.BadRequest {
        JsonFields root = JsonFields.tolerant(documents.read(body), "");
        List<JsonNode> nodes = root.array("endpoints", Colibri2Parts.MAX_MEDIA_STATUS_MEETINGS * MAX_ENDPOINTS);
        List<EndpointMedia> out = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields e = root.element(nodes.get(i), "endpoints", i);
            String media = e.requiredString("media", MAX_TEXT);
            MediaFlow flow = MediaFlow.fromWire(media)
                    .orElseThrow(() -> JsonFields.bad(e.pathOf("media"), "is not connecting, flowing or stopped"));
            out.add(new EndpointMedia(MeetingId.parse(e.requiredString("meeting_id", MAX_TEXT), e.pathOf("meeting_id")),
                    e.requiredToken("id", ID), flow, e.bool("relay", false)));
        }
        return out;
    }

    /** The message of an error reply written by {@link Colibri2BridgeCodec#writeError}, or null for any other body. */
    public String parseError(byte[] body) {
        try {
            JsonNode error = documents.read(body).get("error");
            return error != null && error.isTextual() ? error.textValue() : null;
        } catch (BridgeException.BadRequest e) {
            return null;
        }
    }
}
