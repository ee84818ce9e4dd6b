package io.livedesk.signaling.transcript;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.livedesk.signaling.auth.ApiAuth;
import io.livedesk.signaling.auth.Principal;
import io.livedesk.signaling.auth.Role;
import io.livedesk.signaling.auth.Subject;
import io.livedesk.signaling.call.CallId;
import io.livedesk.signaling.call.CallRecord;
import io.livedesk.signaling.call.CallStore;
import io.livedesk.signaling.protocol.ErrorCode;
import io.livedesk.signaling.protocol.ProtocolException;
import io.livedesk.signaling.server.HttpReply;
import io.livedesk.signaling.server.HttpRoutes;
import io.netty.handler.codec.http.HttpMethod;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /api/calls/{id}/transcript}: a call's transcript as JSON, or with {@code ?format=text} as a
 * plain-text download ({@link TranscriptText}). Supervisors may read any call's; staff members the calls
 * they had (now or before a transfer), and, while in a live call with an identified customer, that customer's
 * earlier calls (their brief links them); customers and viewers none (403). An unknown call, or one the staff
 * member never had, is 404, as for {@code GET /api/calls/{id}}. Answers are marked {@code no-store}.
 */
public final class TranscriptApi {
    public static final String PATH = "/api/calls/{id}/transcript";
    private static final String PREFIX = "/api/calls/";
    private static final String SUFFIX = "/transcript";

    private final TranscriptStore store;
    private final CallStore calls;
    private final ApiAuth auth;
    private final ObjectMapper json;

    public TranscriptApi(TranscriptStore store, CallStore calls, ApiAuth auth, ObjectMapper json) {
        this.store = store;
        this.calls = calls;
        this.auth = auth;
        this.json = json;
    }

    /** Where a call's transcript is, for links (the call record's {@code transcript}). */
    public static String pathOf(CallId callId) {
        return PREFIX + callId + SUFFIX;
    }

    record WordView(String word, long startMs, long endMs, double conf) {
    }

    /** @param offsetMs from the call's answer (null when it never was) */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    record LineView(long seq, String speaker, Subject speakerId, String startedAt, String endedAt, Long offsetMs,
                    String text, List<WordView> words) {
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    record TranscriptView(CallId callId, String answeredAt, List<LineView> lines) {
    }

    public void register(HttpRoutes routes) {
        routes.add(HttpMethod.GET, PATH, call -> {
            Principal p = auth.require(call, EnumSet.of(Role.STAFF, Role.SUPERVISOR));
            String rawId = call.path().substring(PREFIX.length(), call.path().length() - SUFFIX.length());
            String format = call.queryParam("format", "json");
            if (!format.equals("json") && !format.equals("text")) {
                throw new ProtocolException(ErrorCode.BAD_MESSAGE, "format must be json or text");
            }
            CallRecord record = CallId.parse(rawId).flatMap(calls::get)
                    .filter(r -> p.role() == Role.SUPERVISOR || hadTheCall(r, p.subject()) || servesTheCustomer(r, p.subject()))
                    .orElseThrow(() -> new ProtocolException(ErrorCode.NOT_FOUND, "no such call"));
            CallId callId = record.callId();
            List<TranscriptLine> lines = store.lines(callId);
            if (format.equals("text")) {
                return new HttpReply(200, "text/plain; charset=utf-8",
                        TranscriptText.render(lines, record.answeredAtMs()).getBytes(StandardCharsets.UTF_8),
                        Map.of("Content-Disposition", "attachment; filename=\"transcript-" + safe(callId) + ".txt\"",
                                "Cache-Control", "no-store"));
            }
            TranscriptView view = new TranscriptView(callId, time(record.answeredAtMs()),
                    lines.stream().map(l -> view(l, record.answeredAtMs())).toList());
            return HttpReply.json(200, json.writeValueAsString(view)).withHeader("Cache-Control", "no-store");
        });
    }

    /** The call's staff member now, or one who had it before a transfer. */
    private static boolean hadTheCall(CallRecord r, Subject subject) {
        return subject.equals(r.staffId()) || r.formerStaffIds().contains(subject);
    }

    /** The staff member is in a live call now with the call's customer, whom the bank identified. */
    private boolean servesTheCustomer(CallRecord r, Subject staff) {
        return r.asked().identified() && calls.liveCallOf(staff)
                .filter(live -> staff.equals(live.staffId()) && live.customerId().equals(r.customerId()))
                .isPresent();
    }

    private static LineView view(TranscriptLine l, long answeredAtMs) {
        return new LineView(l.seq(), l.speaker(), l.speakerId(), time(l.startedAtMs()), time(l.endedAtMs()),
                answeredAtMs > 0 ? Math.max(0, l.startedAtMs() - answeredAtMs) : null, l.text(),
                l.words().stream().map(w -> new WordView(w.word(), w.startMs(), w.endMs(), w.conf())).toList());
    }

    private static String time(long ms) {
        return ms == 0 ? null : Instant.ofEpochMilli(ms).toString();
    }

    /** A call id may hold ':', which is no character for a file name. */
    private static String safe(CallId callId) {
        return callId.value().replace(':', '_');
    }
}
