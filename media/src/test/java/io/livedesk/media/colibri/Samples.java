package io.livedesk.media.colibri;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.livedesk.media.api.MeetingId;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The Colibri2 requests and replies observed against a real Jitsi Videobridge (COLIBRI2.md), verbatim. */
final class Samples {
    static final String MEETING = "11111111-2222-3333-4444-555555555555";
    static final MeetingId MEETING_ID = new MeetingId(MEETING);
    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Sample "create-request.json". */
    static final String CREATE_REQUEST = """
            {
              "meeting-id": "11111111-2222-3333-4444-555555555555",
              "name": "room1@example",
              "create": true,
              "endpoints": [{
                "create": true, "id": "ep1", "stats-id": "alice",
                "medias": [
                  { "type": "audio",
                    "payload-types": [ { "name": "opus", "id": "111", "channels": "2", "clockrate": "48000",
                                         "parameters": { "useinbandfec": "1", "minptime": "10" },
                                         "rtcp-fbs": [ { "type": "transport-cc" } ] } ],
                    "rtp-hdrexts": [ { "uri": "urn:ietf:params:rtp-hdrext:ssrc-audio-level", "id": 1 },
                                     { "uri": "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "id": 5 } ] },
                  { "type": "video",
                    "payload-types": [ { "name": "VP8", "id": "100", "clockrate": "90000",
                                         "rtcp-fbs": [ { "type": "ccm", "subtype": "fir" }, { "type": "nack" },
                                                       { "type": "nack", "subtype": "pli" }, { "type": "transport-cc" } ] },
                                       { "name": "rtx", "id": "96", "clockrate": "90000", "parameters": { "apt": "100" } } ],
                    "rtp-hdrexts": [ { "uri": "http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01", "id": 5 } ] } ],
                "transport": { "ice-controlling": true },
                "sources": [
                  { "type": "audio", "id": "ep1-a0", "sources": [ { "ssrc": 1001, "name": "ep1-a0" } ] },
                  { "type": "video", "id": "ep1-v0",
                    "sources": [ { "ssrc": 2001, "name": "ep1-v0" }, { "ssrc": 2002, "name": "ep1-v0" } ],
                    "ssrc-groups": [ { "semantics": "FID", "sources": [ 2001, 2002 ] } ] } ],
                "capabilities": [ "source-names" ]
              }]
            }
            """;

    /** Sample "create-reply.json". */
    static final String CREATE_REPLY = """
            {"endpoints":[{"id":"ep1","transport":{"transport":{
               "xmlns":"urn:xmpp:jingle:transports:ice-udp:1",
               "pwd":"1542inkpc7knkpa447t1q4s6h2","ufrag":"2cn811k8b61h4n",
               "fingerprints":[{"fingerprint":"E6:C8:3F:84:FE:BD:E1:0D:E8:47:43:34:35:42:E6:17:6C:63:71:34:A3:C6:82:C7:17:DA:FA:C0:25:18:D0:2E","setup":"actpass","hash":"sha-256"}],
               "candidates":[{"component":"1","foundation":"1","generation":"0","id":"333e2b2f5ce93fac057833fe5","network":"0",
                              "priority":"2130706431","protocol":"udp","type":"host","ip":"10.99.0.1","port":"10000"}],
               "rtcp-mux":true}}}],
             "sources":[{"type":"audio","id":"jvb-a0","sources":[{"ssrc":2794337770,"name":"jvb-a0"}]},
                        {"type":"video","id":"jvb-v0","sources":[{"ssrc":801659477,"name":"jvb-v0"}]}]}
            """;

    /** Sample "patch-request.json". */
    static final String PATCH_REQUEST = """
            {"endpoints":[{"id":"ep1",
              "transport":{"transport":{"xmlns":"urn:xmpp:jingle:transports:ice-udp:1",
                 "ufrag":"sXoJ","pwd":"PirYicPKtYw4+mkIUOm1wWQm","rtcp-mux":true,
                 "fingerprints":[{"fingerprint":"BB:50:EE:83:47:4C:EB:04:4F:9E:32:5D:EC:42:9C:33:1E:E5:DF:17:46:C3:AA:20:E1:F5:C6:0B:E7:C4:78:BF","setup":"active","hash":"sha-256"}],
                 "candidates":[{"component":"1","foundation":"1","generation":"0","id":"c1","network":"0",
                                "priority":"2130706431","protocol":"udp","type":"host","ip":"10.99.0.2","port":"40000"}]}},
              "sources":[ { "type": "audio", "id": "ep1-a0", "sources": [ { "ssrc": 1001, "name": "ep1-a0" } ] },
                          { "type": "video", "id": "ep1-v0",
                            "sources": [ { "ssrc": 2001, "name": "ep1-v0" }, { "ssrc": 2002, "name": "ep1-v0" } ],
                            "ssrc-groups": [ { "semantics": "FID", "sources": [ 2001, 2002 ] } ] } ]}]}
            """;

    /** Sample "patch-reply.json". */
    static final String PATCH_REPLY = """
            {"endpoints":[{"id":"ep1"}]}
            """;

    /** Sample "expire-endpoint.json". */
    static final String EXPIRE_ENDPOINT = """
            {"endpoints":[{"id":"ep1","expire":true}]}
            """;

    /** Sample "expire-conference.json". */
    static final String EXPIRE_CONFERENCE = """
            {"expire":true}
            """;

    private static final Map<String, String> BY_NAME = Map.of(
            "create-request.json", CREATE_REQUEST,
            "create-reply.json", CREATE_REPLY,
            "patch-request.json", PATCH_REQUEST,
            "patch-reply.json", PATCH_REPLY,
            "expire-endpoint.json", EXPIRE_ENDPOINT,
            "expire-conference.json", EXPIRE_CONFERENCE);

    private Samples() {
    }

    static byte[] bytes(String name) {
        String sample = BY_NAME.get(name);
        if (sample == null) {
            throw new IllegalArgumentException("no sample " + name);
        }
        return sample.getBytes(StandardCharsets.UTF_8);
    }

    static JsonNode tree(byte[] json) {
        try {
            return MAPPER.readTree(json);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode tree(String sample) {
        return tree(bytes(sample));
    }

    /** Candidate ids are opaque tokens that the api records do not keep; drop them before comparing. */
    static JsonNode withoutCandidateIds(JsonNode json) {
        JsonNode copy = json.deepCopy();
        copy.findValues("candidates").forEach(candidates ->
                candidates.forEach(candidate -> ((ObjectNode) candidate).remove("id")));
        return copy;
    }
}
