package io.livedesk.signaling.transcript;

import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The keywords and phrases ({@code livedesk.speech.alerts}) whose mention in a final transcript line
 * raises an alert to supervisors.
 *
 * <p>Matching, the same for rule and sentence: both are Unicode-normalised (NFKC, so full-width
 * {@code ＰＡＳＳＷＯＲＤ} is {@code password}), lower-cased, runs of white space become one space, and
 * white space between two CJK characters is removed (recognisers such as Vosk's Chinese models put spaces
 * between words: {@code 验证 码} is {@code 验证码}). Then:
 * <ul>
 *   <li>where a rule begins or ends with a letter or digit of a script written with spaces (Latin, Cyrillic,
 *       …) it must match <b>whole words</b> there: {@code password} matches "my password is" and
 *       "password's", not "passwordless" nor "passwords" (list plural forms as rules of their own);</li>
 *   <li>CJK characters (Han, Hiragana, Katakana, Hangul) match as a <b>substring</b>:
 *       {@code 验证码} matches "请告诉我验证码";</li>
 *   <li>a phrase matches across any white space between its words: {@code transfer all} matches
 *       "Transfer   ALL the money".</li>
 * </ul>
 * Each rule has an id, {@code rule-1}, {@code rule-2}, … in configuration order, for metrics and logs.
 */
public final class AlertRules {

    /** A configured rule: its id, the phrase as configured, and how it matches. */
    public record Rule(String id, String phrase, Pattern pattern) {
    }

    private static final String CJK = "\\p{IsHan}\\p{IsHiragana}\\p{IsKatakana}\\p{IsHangul}";
    /** A character of a word in a script written with spaces between words. */
    private static final String WORD_CHAR = "[\\p{L}\\p{N}\\p{M}&&[^" + CJK + "]]";
    private static final Pattern WORD_CHAR_ONE = Pattern.compile(WORD_CHAR);
    private static final Pattern SPACE_BETWEEN_CJK = Pattern.compile("(?<=[" + CJK + "])\\s+(?=[" + CJK + "])");
    private static final Pattern SPACES = Pattern.compile("[\\s\\p{Z}]+");

    private final List<Rule> rules;

    private AlertRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    /**
     * @throws IllegalArgumentException for a blank rule or one listed twice (after normalisation)
     */
    public static AlertRules of(List<String> phrases) {
        List<Rule> rules = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < phrases.size(); i++) {
            String phrase = phrases.get(i);
            String id = "rule-" + (i + 1);
            String normal = phrase == null ? "" : normalize(phrase);
            if (normal.isEmpty()) {
                throw new IllegalArgumentException("livedesk.speech.alerts: " + id + " is empty");
            }
            if (!seen.add(normal)) {
                throw new IllegalArgumentException("livedesk.speech.alerts: " + id + " repeats an earlier rule");
            }
            rules.add(new Rule(id, phrase.strip(), compile(normal)));
        }
        return new AlertRules(rules);
    }

    public static AlertRules none() {
        return new AlertRules(List.of());
    }

    public List<Rule> rules() {
        return rules;
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /** The rules the sentence matches, in configuration order; empty when none does. */
    public List<Rule> matches(String sentence) {
        if (rules.isEmpty() || sentence == null || sentence.isBlank()) {
            return List.of();
        }
        String normal = normalize(sentence);
        List<Rule> out = new ArrayList<>(1);
        for (Rule r : rules) {
            if (r.pattern().matcher(normal).find()) {
                out.add(r);
            }
        }
        return out;
    }

    /** NFKC, lower case, one space for any run of white space, none between CJK characters. */
    static String normalize(String s) {
        String n = Normalizer.normalize(s, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        n = SPACES.matcher(n).replaceAll(" ").strip();
        return SPACE_BETWEEN_CJK.matcher(n).replaceAll("");
    }

    private static Pattern compile(String normalRule) {
        StringBuilder re = new StringBuilder();
        if (isWordChar(normalRule.codePointAt(0))) {
            re.append("(?<!").append(WORD_CHAR).append(')');
        }
        re.append(Pattern.quote(normalRule));
        if (isWordChar(normalRule.codePointBefore(normalRule.length()))) {
            re.append("(?!").append(WORD_CHAR).append(')');
        }
        return Pattern.compile(re.toString());
    }

    private static boolean isWordChar(int codePoint) {
        return WORD_CHAR_ONE.matcher(new String(Character.toChars(codePoint))).matches();
    }
}
