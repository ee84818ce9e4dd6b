package io.livedesk.signaling.live;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class ProductCardsTest {

    private static ProductCard card(String id, String name) {
        return new ProductCard(id, name, "one line", "https://bank.example/p", null);
    }

    @Test
    void pinningNumbersCardsInOrderAndKeepsEarlierOnesForConsultations() {
        ProductCards cards = ProductCards.NONE.pin(card("c-1", "Loan")).pin(card("c-2", "Card"));
        assertEquals(Optional.of(card("c-2", "Card")), cards.pinned());
        assertEquals(Optional.of(card("c-1", "Loan")), cards.find("c-1"), "a card replaced a moment ago can still be consulted");
        assertEquals("c-3", cards.nextId());
        ProductCards off = cards.unpinned();
        assertEquals(Optional.empty(), off.pinned());
        assertEquals(2, off.cards().size());
        assertThrows(IllegalArgumentException.class, () -> cards.pin(card("c-9", "Skipped")));
    }

    @Test
    void aBroadcastPinsAtMostFiftyCards() {
        ProductCards cards = ProductCards.NONE;
        for (int i = 1; i <= ProductCards.MAX_CARDS; i++) {
            cards = cards.pin(card("c-" + i, "Card " + i));
        }
        ProductCards full = cards;
        assertThrows(IllegalStateException.class, () -> full.pin(card("c-51", "One too many")),
                "refused as a state the broadcast is in: invalid_state to the host");
    }

    @Test
    void aCardIsTrimmedAndItsTopicDefaultsToTheBroadcasts() {
        ProductCard c = new ProductCard("c-1", "  Fixed-rate mortgage ", null, null, null);
        assertEquals("Fixed-rate mortgage", c.name());
        assertEquals("", c.line());
        assertEquals("loans", c.topicOr("loans"));
        assertEquals("wealth", new ProductCard("c-1", "Fund", "", null, "wealth").topicOr("loans"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"javascript:alert(1)", "ftp://bank.example/x", "https://user:pw@bank.example/", "/relative",
            "https://"})
    void aCardLinksOnlyToAnHttpPageWithAHost(String url) {
        assertThrows(IllegalArgumentException.class, () -> new ProductCard("c-1", "x", "", url, null));
    }

    @ParameterizedTest
    @ValueSource(strings = {"c-0", "c-01", "card-1", "c-10000", ""})
    void cardIdsAreServerNumbers(String id) {
        assertThrows(IllegalArgumentException.class, () -> new ProductCard(id, "x", "", null, null));
    }
}
