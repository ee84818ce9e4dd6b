package io.livedesk.media.colibri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.media.api.BridgeException;
import io.livedesk.media.api.MediaSource;
import io.livedesk.media.api.MediaType;
import io.livedesk.media.api.MeetingId;
import io.livedesk.media.api.SetupRole;
import io.livedesk.media.api.TransportDescription;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

import static io.livedesk.media.colibri.Colibri2Documents.MAX_TEXT;

/**
 * The parts that Colibri2 requests and replies both carry, read and written the same way by the
 * bridge's and the client's codec: the ICE-UDP transport, the sources, a media type. How strictly they
 * are read is the caller's {@link JsonFields}' choice. Candidate {@code id}s are not kept by the api
 * records; written candidates get positional ids.
 */
final class Colibri2Parts {
    /** The only transport Colibri2 describes. */
    static final String ICE_UDP_XMLNS = "urn:xmpp:jingle:transports:ice-udp:1";

    // Bounds on arrays: far above what a browser's SDP produces, low enough that no document is costly.
    static final int MAX_ENDPOINTS = 100;
    /**
     * Conferences one media-status request may ask about: 1000 ids of at most 128 characters stay well under
     * a bridge node's default request size (256 KiB); a caller with more asks in several requests.
     */
    static final int MAX_MEDIA_STATUS_MEETINGS = 1000;
    static final int MAX_SOURCES = 64;
    static final int MAX_SSRCS_PER_SOURCE = 16;
    static final int MAX_SSRC_GROUPS = 16;
    static final int MAX_FINGERPRINTS = 4;
    static final int MAX_CANDIDATES = 64;

    /** Endpoint and source ids: they end up in logs and SDP as meeting ids do, and follow the same syntax. */
    static final Pattern ID = MeetingId.SYNTAX;
    static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._/+-]{0,63}");
    /** RFC 8851's rid-id, as short as {@link io.livedesk.media.sdp.Simulcast} takes it. */
    static final Pattern RID = Pattern.compile("[A-Za-z0-9_-]{1,16}");
    static final int MAX_RIDS = 4;
    private static final Pattern ICE_UFRAG = Pattern.compile("[A-Za-z0-9+/]{4,256}");
    private static final Pattern ICE_PWD = Pattern.compile("[A-Za-z0-9+/]{22,256}");
    private static final Pattern FINGERPRINT = Pattern.compile("[0-9A-Fa-f]{2}(:[0-9A-Fa-f]{2}){15,63}");
    private static final Pattern ADDRESS = Pattern.compile("[A-Za-z0-9.:%-]{1,255}");
    private static final Set<SetupRole> SETUP_ROLES = EnumSet.of(SetupRole.ACTPASS, SetupRole.ACTIVE, SetupRole.PASSIVE);
    private static final Set<String> CANDIDATE_TYPES = Set.of("host", "srflx", "prflx", "relay");
    private static final Set<String> PROTOCOLS = Set.of("udp", "tcp");
    private static final long MAX_SSRC = 0xFFFF_FFFFL;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private Colibri2Parts() {
    }

    static MediaType mediaType(JsonFields fields) throws BridgeException.BadRequest {
        String type = fields.requiredString("type", MAX_TEXT);
        for (MediaType candidate : MediaType.values()) {
            if (candidate.wire().equals(type)) {
                return candidate;
            }
        }
        throw JsonFields.bad(fields.pathOf("type"), "must be \"audio\" or \"video\"");
    }

    /** The inner {@code transport} object: ICE credentials, DTLS fingerprints, candidates. */
    static TransportDescription readIceUdp(JsonFields t) throws BridgeException.BadRequest {
        String xmlns = t.optionalString("xmlns", MAX_TEXT);
        if (xmlns != null && !xmlns.equals(ICE_UDP_XMLNS)) {
            throw JsonFields.bad(t.pathOf("xmlns"), "must be " + ICE_UDP_XMLNS);
        }
        String ufrag = t.requiredToken("ufrag", ICE_UFRAG);
        String pwd = t.requiredToken("pwd", ICE_PWD);
        boolean rtcpMux = t.bool("rtcp-mux", false);
        boolean iceLite = t.bool("ice-lite", false);
        List<JsonNode> fpNodes = t.array("fingerprints", MAX_FINGERPRINTS);
        if (fpNodes.isEmpty()) {
            throw JsonFields.bad(t.pathOf("fingerprints"), "must hold the DTLS certificate fingerprint");
        }
        List<TransportDescription.Fingerprint> fingerprints = new ArrayList<>(fpNodes.size());
        for (int i = 0; i < fpNodes.size(); i++) {
            JsonFields fp = t.element(fpNodes.get(i), "fingerprints", i);
            String hash = fp.requiredToken("hash", TOKEN);
            String fingerprint = fp.requiredToken("fingerprint", FINGERPRINT);
            SetupRole setup = SetupRole.fromAttributeValue(fp.requiredString("setup", MAX_TEXT))
                    .filter(SETUP_ROLES::contains)
                    .orElseThrow(() -> JsonFields.bad(fp.pathOf("setup"), "must be actpass, active or passive"));
            fp.rejectUnread();
            fingerprints.add(new TransportDescription.Fingerprint(hash, fingerprint, setup));
        }
        List<JsonNode> candidateNodes = t.array("candidates", MAX_CANDIDATES);
        List<TransportDescription.Candidate> candidates = new ArrayList<>(candidateNodes.size());
        for (int i = 0; i < candidateNodes.size(); i++) {
            candidates.add(readCandidate(t.element(candidateNodes.get(i), "candidates", i)));
        }
        t.refuse("web-sockets", "this bridge has no WebSocket bridge channel");
        t.rejectUnread();
        return new TransportDescription(ufrag, pwd, fingerprints, candidates, rtcpMux, iceLite);
    }

    private static TransportDescription.Candidate readCandidate(JsonFields c) throws BridgeException.BadRequest {
        String foundation = c.requiredToken("foundation", TOKEN);
        int component = (int) c.requiredNumber("component", 1, 256);
        String protocol = c.requiredString("protocol", MAX_TEXT).toLowerCase(Locale.ROOT);
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
        c.rejectUnread();
        return new TransportDescription.Candidate(foundation, component, protocol, priority, ip, port, type);
    }

    /** The elements of {@code parent}'s {@code sources} array; no id or SSRC may repeat. */
    static List<MediaSource> readSources(JsonFields parent, List<JsonNode> nodes) throws BridgeException.BadRequest {
        List<MediaSource> sources = new ArrayList<>(nodes.size());
        Set<Long> allSsrcs = new HashSet<>();
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < nodes.size(); i++) {
            JsonFields source = parent.element(nodes.get(i), "sources", i);
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
                JsonFields ssrc = source.element(ssrcNodes.get(j), "sources", j);
                long value = ssrc.requiredNumber("ssrc", 0, MAX_SSRC);
                String name = ssrc.optionalString("name", MAX_TEXT);
                ssrc.rejectUnread();
                if (!allSsrcs.add(value)) {
                    throw JsonFields.bad(ssrc.pathOf("ssrc"), "repeats SSRC " + value);
                }
                own.add(value);
                ssrcs.add(new MediaSource.Ssrc(value, name == null ? id : name));
            }
            List<JsonNode> groupNodes = source.array("ssrc-groups", MAX_SSRC_GROUPS);
            List<MediaSource.SsrcGroup> groups = new ArrayList<>(groupNodes.size());
            for (int j = 0; j < groupNodes.size(); j++) {
                groups.add(readSsrcGroup(source.element(groupNodes.get(j), "ssrc-groups", j), id, own));
            }
            List<String> rids = readRids(source);
            if (!rids.isEmpty() && (type != MediaType.VIDEO || ssrcs.size() != 1)) {
                throw JsonFields.bad(source.pathOf("rids"), "belong to a video source with exactly one SSRC");
            }
            source.ignore("videoType");
            source.rejectUnread();
            sources.add(new MediaSource(type, id, ssrcs, groups, rids));
        }
        return sources;
    }

    /** A simulcast source's layer rids (LiveDesk's extension): two to four distinct rid-ids, or none. */
    private static List<String> readRids(JsonFields source) throws BridgeException.BadRequest {
        List<JsonNode> nodes = source.array("rids", MAX_RIDS);
        List<String> rids = new ArrayList<>(nodes.size());
        for (int i = 0; i < nodes.size(); i++) {
            String path = JsonFields.element(source.pathOf("rids"), i);
            JsonNode node = nodes.get(i);
            if (!node.isTextual() || !RID.matcher(node.textValue()).matches()) {
                throw JsonFields.bad(path, "must match " + RID.pattern());
            }
            if (rids.contains(node.textValue())) {
                throw JsonFields.bad(path, "repeats rid " + node.textValue());
            }
            rids.add(node.textValue());
        }
        if (rids.size() == 1) {
            throw JsonFields.bad(source.pathOf("rids"), "must list two or more layers");
        }
        return rids;
    }

    private static MediaSource.SsrcGroup readSsrcGroup(JsonFields group, String sourceId, Set<Long> own)
            throws BridgeException.BadRequest {
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
                throw JsonFields.bad(memberPath, "is not an SSRC of source " + sourceId);
            }
            groupSsrcs.add(member);
        }
        group.rejectUnread();
        return new MediaSource.SsrcGroup(semantics, groupSsrcs);
    }

    static ObjectNode writeIceUdp(TransportDescription transport) {
        ObjectNode node = NODES.objectNode()
                .put("xmlns", ICE_UDP_XMLNS)
                .put("ufrag", transport.ufrag())
                .put("pwd", transport.pwd());
        ArrayNode fingerprints = node.putArray("fingerprints");
        transport.fingerprints().forEach(fp -> fingerprints.addObject()
                .put("fingerprint", fp.fingerprint()).put("setup", fp.setup().attributeValue()).put("hash", fp.hash()));
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
        if (transport.iceLite()) {
            node.put("ice-lite", true);
        }
        return node;
    }

    static ArrayNode writeSources(List<MediaSource> sources) {
        ArrayNode array = NODES.arrayNode();
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
            if (!source.rids().isEmpty()) {
                ArrayNode rids = node.putArray("rids");
                source.rids().forEach(rids::add);
            }
        }
        return array;
    }
}
