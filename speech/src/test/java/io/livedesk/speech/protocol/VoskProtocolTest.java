package io.livedesk.speech.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import io.livedesk.speech.api.TranscriptEvent.Final;
import io.livedesk.speech.api.Word;
import io.livedesk.speech.engine.VoskJson;
import org.junit.jupiter.api.Test;

/** The wire format on its own: what clients send, what we answer. */
class VoskProtocolTest {
    private final VoskProtocol protocol = new VoskProtocol();

    @Test
    void readsWhatVoskClientsSend() throws Exception {
        assertEquals(new VoskClientMessage.Config(16000, null, null, null, null),
                protocol.parse("{ \"config\" : { \"sample_rate\" : 16000 } }"));
        assertEquals(new VoskClientMessage.Config(8000, true, 0, null, null),
                protocol.parse("{\"config\":{\"sample_rate\":8000.0,\"words\":1,\"max_alternatives\":0}}"));
        assertEquals(new VoskClientMessage.Eof(), protocol.parse(VoskProtocol.EOF));
        assertEquals(new VoskClientMessage.Eof(), protocol.parse("{\"eof\":1}"));
        assertEquals(new VoskClientMessage.Reset(), protocol.parse(VoskProtocol.RESET));
        assertEquals(new VoskClientMessage.Reset(), protocol.parse("{\"reset\":1}"));
    }

    @Test
    void readsTheConfigsOfVoskServersOwnTestScripts() throws Exception {
        // test_alternatives.py
        assertEquals(new VoskClientMessage.Config(16000, null, 20, null, null),
                protocol.parse("{\"config\" : { \"max_alternatives\" : 20, \"sample_rate\" : 16000 } }"));
        // test_words.py (a phrase list, over several lines)
        assertEquals(new VoskClientMessage.Config(16000, false, null,
                        List.of("zero one two three four five", "six seven eight nine oh"), null),
                protocol.parse("{\"config\" : \n { \"phrase_list\" : [\"zero one two three four five\", "
                        + "\"six seven eight nine oh\"],\n \"sample_rate\" : 16000,\n \"words\" : 0}}"));
        // null and [] are no grammar, as vosk-server's "if phrase_list" treats them.
        assertEquals(List.of(), ((VoskClientMessage.Config) protocol.parse("{\"config\":{\"phrase_list\":null}}"))
                .phraseList());
        assertEquals(List.of(), ((VoskClientMessage.Config) protocol.parse("{\"config\":{\"phrase_list\":[]}}"))
                .phraseList());
        // model is read here; whether the node has it is the endpoint's question.
        assertEquals(new VoskClientMessage.Config(null, null, null, null, "vosk-model-small-en-us-0.15"),
                protocol.parse("{\"config\":{\"model\":\"vosk-model-small-en-us-0.15\"}}"));
    }

    @Test
    void refusesWhatItDoesNotServeWithTheRightCloseCode() {
        assertCode(1007, "{\"config\":");
        assertCode(1007, "not json");
        assertCode(1003, "[1,2]");
        assertCode(1003, "{\"reset\":2}");
        assertCode(1003, "{\"eof\":2}");
        assertCode(1003, "{\"eof\":1,\"reset\":1}");
        assertCode(1008, "{\"config\":{\"sample_rate\":7999}}");
        assertCode(1008, "{\"config\":{\"sample_rate\":48001}}");
        assertCode(1008, "{\"config\":{\"sample_rate\":16000.5}}");
        assertCode(1008, "{\"config\":{\"words\":\"yes\"}}");
        assertCode(1008, "{\"config\":{\"max_alternatives\":-1}}");
        assertCode(1008, "{\"config\":{\"max_alternatives\":101}}");
        assertCode(1008, "{\"config\":{\"max_alternatives\":\"3\"}}");
        assertCode(1008, "{\"config\":{\"phrase_list\":\"one two\"}}");
        assertCode(1008, "{\"config\":{\"phrase_list\":[1]}}");
        assertCode(1008, "{\"config\":{\"phrase_list\":[\"" + "a".repeat(201) + "\"]}}");
        assertCode(1008, "{\"config\":{\"phrase_list\":[" + "\"a\",".repeat(1000) + "\"a\"]}}");
        assertCode(1008, "{\"config\":{\"model\":42}}");
        assertCode(1008, "{\"config\":{\"model\":\" \"}}");
        assertCode(1008, "{\"config\":42}");
        assertCode(1009, "{\"config\":{\"x\":\"" + "a".repeat(VoskProtocol.MAX_TEXT_BYTES) + "\"}}");
    }

    @Test
    void errorsDoNotEchoLongClientText() throws Exception {
        VoskProtocolException e = assertThrows(VoskProtocolException.class,
                () -> protocol.parse("{\"config\":{\"" + "k".repeat(200) + "\":1}}"));
        assertTrue(e.getMessage().length() < 200, e.getMessage());
    }

    @Test
    void writesVoskShapedReplies() throws Exception {
        JsonNode partial = protocol.reply(protocol.partial("spe"));
        assertEquals("spe", partial.get("partial").asText());

        Final f = Final.of("speech", List.of(new Word("speech", 0.5, 1.25, 1.0)));
        JsonNode result = protocol.reply(protocol.result(f));
        assertEquals("speech", result.get("text").asText());
        assertEquals(1.25, result.get("result").get(0).get("end").asDouble());
        // Our reader takes back what we write, as it takes vosk-server's.
        assertEquals(f, new VoskJson().result(protocol.result(f), true));

        assertFalse(protocol.reply(protocol.result(Final.of("", List.of()))).has("result"));
        assertEquals("x", protocol.reply(protocol.error("x")).get("error").asText());
        assertEquals(16000, protocol.reply(protocol.config(16000, true)).get("config").get("sample_rate").asInt());
    }

    @Test
    void writesAlternativesAsVoskDoes() throws Exception {
        // libvosk 0.3.45 with max_alternatives and words, as seen with the synthetic model.
        String vosk = "{\"alternatives\":[{\"confidence\":578.122986,\"result\":[{\"end\":1.92,\"start\":0.0,"
                + "\"word\":\"speech\"}],\"text\":\"speech\"},{\"confidence\":12.5,\"text\":\"\"}]}";
        Final f = new VoskJson().result(vosk, true);
        assertEquals("speech", f.text());
        assertEquals(2, f.alternatives().size());
        assertEquals(1, f.words().size());
        assertEquals(protocol.reply(vosk), protocol.reply(protocol.result(f)));
        // Without words the alternatives carry none either.
        JsonNode noWords = protocol.reply(protocol.result(new VoskJson().result(vosk, false)));
        assertFalse(noWords.get("alternatives").get(0).has("result"), noWords::toString);
        assertFalse(noWords.has("text"), noWords::toString);
    }

    @Test
    void readsVoskOwnOutput() {
        VoskJson json = new VoskJson();
        assertEquals("two words", json.partial("{\n  \"partial\" : \"two words\"\n}").text());
        assertEquals("", json.partial("{\"partial_result\":[],\"partial\":\"\"}").text());
        Final f = json.result("{\"result\":[{\"conf\":0.9,\"end\":2.0,\"start\":1.5,\"word\":\"b\"},"
                + "{\"conf\":1.0,\"end\":1.4,\"start\":1.0,\"word\":\"a\"}],\"text\":\"a b\",\"spk\":[1]}", true);
        assertEquals(1.0, f.start());
        assertEquals(2.0, f.end());
    }

    private void assertCode(int code, String text) {
        VoskProtocolException e = assertThrows(VoskProtocolException.class, () -> protocol.parse(text), text);
        assertEquals(code, e.closeCode().getCode(), () -> text + " -> " + e.getMessage());
    }
}
