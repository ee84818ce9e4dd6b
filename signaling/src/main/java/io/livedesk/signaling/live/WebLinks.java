package io.livedesk.signaling.live;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;

/** The one check for links the stage puts on viewers' screens (cover images, card links). */
final class WebLinks {
    static final int MAX_URL = 2048;

    private WebLinks() {
    }

    /** Accepts null (no link); otherwise an http or https URL with a host, no user info, at most 2048 characters. */
    static void check(String url, String field) {
        if (url == null) {
            return;
        }
        String message = field + " must be an http or https URL of at most " + MAX_URL + " characters";
        if (url.length() > MAX_URL) {
            throw new IllegalArgumentException(message);
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(message, e);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!(scheme.equals("http") || scheme.equals("https")) || uri.getHost() == null) {
            throw new IllegalArgumentException(message);
        }
        // https://bank.example@elsewhere.example shows one host and loads another: refused on a bank's page.
        if (uri.getRawUserInfo() != null) {
            throw new IllegalArgumentException(field + " cannot carry a user name or password");
        }
    }
}
