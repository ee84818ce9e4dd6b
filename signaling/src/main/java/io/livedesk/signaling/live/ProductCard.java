package io.livedesk.signaling.live;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.livedesk.signaling.protocol.ClientMessage;

import java.util.regex.Pattern;

/**
 * A product or topic the stage pins on every viewer's screen, with its own "consult now". The stage writes
 * its text; the server numbers it ({@code c-1}, {@code c-2}, … within a broadcast) and decides which queue
 * a consultation from it goes to ({@code topic}, checked against the configured topics when pinned).
 *
 * @param url   where the bank describes the product (http or https), or null
 * @param topic the routing topic of a consultation from this card, or null for the broadcast's own
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ProductCard(String cardId, String name, String line, String url, String topic) {
    public static final int MAX_NAME = 80;
    public static final int MAX_LINE = 160;
    private static final Pattern CARD_ID = Pattern.compile("c-[1-9][0-9]{0,3}");

    public ProductCard {
        if (cardId == null || !CARD_ID.matcher(cardId).matches()) {
            throw new IllegalArgumentException("cardId is not a card id");
        }
        name = text(name, "card.name", MAX_NAME, true);
        line = text(line, "card.line", MAX_LINE, false);
        WebLinks.check(url, "card.url");
        if (topic != null && !ClientMessage.WORD.matcher(topic).matches()) {
            throw new IllegalArgumentException("card.topic must be 1-32 characters of a-z, 0-9, _ and -");
        }
    }

    /** Whether {@code id} could name a card at all: a check for ids read from clients. */
    public static boolean isCardId(String id) {
        return id != null && CARD_ID.matcher(id).matches();
    }

    /** The queue a consultation from this card goes to, in a broadcast about {@code broadcastTopic}. */
    public String topicOr(String broadcastTopic) {
        return topic != null ? topic : broadcastTopic;
    }

    private static String text(String value, String field, int max, boolean required) {
        if (value == null || value.isBlank()) {
            if (required) {
                throw new IllegalArgumentException(field + " is required");
            }
            return "";
        }
        String trimmed = value.strip();
        if (trimmed.codePointCount(0, trimmed.length()) > max) {
            throw new IllegalArgumentException(field + " must be at most " + max + " characters");
        }
        if (trimmed.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException(field + " cannot contain line breaks or control characters");
        }
        return trimmed;
    }
}
