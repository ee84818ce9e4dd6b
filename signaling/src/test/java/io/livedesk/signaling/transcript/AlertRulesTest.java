package io.livedesk.signaling.transcript;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AlertRulesTest {

    private final AlertRules rules = AlertRules.of(List.of("password", "验证码", "transfer all"));

    private List<String> ids(String sentence) {
        return rules.matches(sentence).stream().map(AlertRules.Rule::id).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"my password is hunter2", "Password: 1234", "what's your PASSWORD?", "the password's fine",
            "password", "new-password please", "我的password是"})
    void anEnglishWordMatchesAsAWholeWord(String sentence) {
        assertEquals(List.of("rule-1"), ids(sentence));
    }

    @ParameterizedTest
    @ValueSource(strings = {"I prefer passwordless sign-in", "two passwords", "mypassword", "password123", "passwordé"})
    void anEnglishWordDoesNotMatchInsideALongerWord(String sentence) {
        assertEquals(List.of(), ids(sentence));
    }

    @ParameterizedTest
    @ValueSource(strings = {"please transfer all my savings", "Transfer   ALL of it", "transfer\tall", "TRANSFER\nall now",
            "ok, transfer all."})
    void aPhraseMatchesAcrossSpacesAndCase(String sentence) {
        assertEquals(List.of("rule-3"), ids(sentence));
    }

    @Test
    void aPhraseNeedsItsWordsTogetherAndWhole() {
        assertEquals(List.of(), ids("transfer them all"));
        assertEquals(List.of(), ids("transferall"));
        assertEquals(List.of(), ids("transfer allowance"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"请告诉我验证码", "验证码是多少", "请 告诉 我 验证 码", "您的验证码：123456"})
    void chineseMatchesAsASubstringEvenWhenTheRecogniserSpacedIt(String sentence) {
        assertEquals(List.of("rule-2"), ids(sentence));
    }

    @Test
    void chineseDoesNotMatchWhatMerelyResemblesIt() {
        assertEquals(List.of(), ids("请告诉我验证"));
        assertEquals(List.of(), ids("验 证"));
    }

    @Test
    void fullWidthAndCompatibilityFormsAreNormalised() {
        assertEquals(List.of("rule-1"), ids("ｍｙ ＰＡＳＳＷＯＲＤ ｉｓ"));
        assertEquals(List.of("rule-3"), ids("ＴＲＡＮＳＦＥＲ\u3000ＡＬＬ")); // ideographic space too
        AlertRules fullWidthRule = AlertRules.of(List.of("ＰＩＮ"));
        assertEquals(1, fullWidthRule.matches("what is your pin").size(), "rules are normalised too");
    }

    @Test
    void aSentenceMatchingSeveralRulesReportsEachInOrder() {
        assertEquals(List.of("rule-1", "rule-2", "rule-3"), ids("transfer all, send the password and the 验证码"));
        AlertRules.Rule r = rules.matches("验证码").get(0);
        assertEquals("验证码", r.phrase());
    }

    @Test
    void noRulesMatchNothing() {
        AlertRules none = AlertRules.of(List.of());
        assertTrue(none.isEmpty());
        assertEquals(List.of(), none.matches("password 验证码 transfer all"));
        assertEquals(List.of(), AlertRules.none().matches("password"));
        assertEquals(List.of(), rules.matches(""));
        assertEquals(List.of(), rules.matches(null));
    }

    @Test
    void badRulesAreConfigurationErrorsNamingTheRule() {
        var blank = assertThrows(IllegalArgumentException.class, () -> AlertRules.of(List.of("pin", "  ")));
        assertTrue(blank.getMessage().contains("rule-2"), blank.getMessage());
        var twice = assertThrows(IllegalArgumentException.class, () -> AlertRules.of(List.of("PIN", "pin")));
        assertTrue(twice.getMessage().contains("rule-2"), twice.getMessage());
        assertThrows(IllegalArgumentException.class, () -> AlertRules.of(Arrays.asList("pin", null)));
    }

    @Test
    void punctuationInARuleIsLiteral() {
        AlertRules r = AlertRules.of(List.of("a.b", "(secret)"));
        assertEquals(List.of(), r.matches("axb"));
        assertEquals(1, r.matches("the a.b file").size());
        assertEquals(1, r.matches("it is (secret) ok").size());
    }
}
