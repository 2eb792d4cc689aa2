package io.goatflow.tickets.internal;

import org.jsoup.Jsoup;
import org.jsoup.nodes.Document;
import org.jsoup.safety.Safelist;

/**
 * Cleans article HTML with jsoup: formatting, tables, lists, links and images stay; scripts, event handlers,
 * {@code style} attributes and style sheets (CSS can exfiltrate through {@code url()}), forms, frames, remote images
 * (tracking pixels that reveal who read a ticket and when; inline cid/data images stay) and every link scheme other
 * than http, https and mailto go. Applied when an article is
 * written and again when it is read, so rows written by older versions or other tools are cleaned too.
 */
final class HtmlSanitizer {
    private static final Safelist SAFELIST = Safelist.relaxed()
            .addTags("hr", "font", "center", "s", "del", "ins", "mark", "abbr")
            .addAttributes("font", "color", "face", "size")
            .addAttributes(":all", "dir", "lang", "title")
            .removeProtocols("img", "src", "http", "https")
            .addProtocols("img", "src", "cid", "data")
            .addProtocols("a", "href", "mailto")
            .addEnforcedAttribute("a", "rel", "nofollow noopener noreferrer")
            .preserveRelativeLinks(false);

    private HtmlSanitizer() {
    }

    static String clean(String html) {
        if (html == null || html.isEmpty()) {
            return html;
        }
        Document.OutputSettings output = new Document.OutputSettings().prettyPrint(false);
        return Jsoup.clean(html, "", SAFELIST, output);
    }

    /** The visible text of some HTML (for the search index and plain-text previews). */
    static String text(String html) {
        return html == null ? "" : Jsoup.parse(html).text();
    }
}
