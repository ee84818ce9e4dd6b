package io.livedesk.signaling.live;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The cards a broadcast's stage pinned, oldest first, and which one is pinned now. Cards pinned earlier
 * stay, so that a viewer who pressed "consult now" on a card a moment before it was replaced still gets
 * that card's topic and context.
 *
 * @param pinnedId the card on screen now, or null
 */
public record ProductCards(List<ProductCard> cards, String pinnedId) {
    /** A broadcast pins at most this many cards; a card's id is its number, so ids never repeat. */
    public static final int MAX_CARDS = 50;
    public static final ProductCards NONE = new ProductCards(List.of(), null);

    public ProductCards {
        cards = cards == null ? List.of() : List.copyOf(cards);
        if (cards.size() > MAX_CARDS) {
            throw new IllegalArgumentException("at most " + MAX_CARDS + " cards per broadcast");
        }
        for (int i = 0; i < cards.size(); i++) {
            if (!cards.get(i).cardId().equals("c-" + (i + 1))) {
                throw new IllegalArgumentException("cards must be numbered c-1, c-2, ... in order");
            }
        }
        if (pinnedId != null && cards.stream().noneMatch(c -> c.cardId().equals(pinnedId))) {
            throw new IllegalArgumentException("the pinned card " + pinnedId + " is not one of the cards");
        }
    }

    /** The id the next pinned card gets. */
    public String nextId() {
        return "c-" + (cards.size() + 1);
    }

    /** With {@code card} (numbered {@link #nextId()}) added and pinned. */
    public ProductCards pin(ProductCard card) {
        if (!card.cardId().equals(nextId())) {
            throw new IllegalArgumentException("the new card must be " + nextId());
        }
        if (cards.size() >= MAX_CARDS) {
            throw new IllegalStateException("this broadcast has pinned " + MAX_CARDS + " cards, the most it can");
        }
        List<ProductCard> next = new ArrayList<>(cards);
        next.add(card);
        return new ProductCards(next, card.cardId());
    }

    public ProductCards unpinned() {
        return new ProductCards(cards, null);
    }

    public Optional<ProductCard> pinned() {
        return pinnedId == null ? Optional.empty() : find(pinnedId);
    }

    public Optional<ProductCard> find(String cardId) {
        return cards.stream().filter(c -> c.cardId().equals(cardId)).findFirst();
    }
}
