package io.goatflow.tickets.internal;

import io.goatflow.persistence.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.Set;

/**
 * Maintains {@code gk_ticket_search_word} in the same transaction as the text it indexes: the ticket title under
 * article id 0 (visible to customers), each article's subject and text with the article's visibility.
 */
final class SearchIndex {
    private SearchIndex() {
    }

    static void indexTitle(Connection c, long ticketId, String title) throws SQLException {
        replace(c, ticketId, 0, true, SearchWords.of(title));
    }

    static void indexArticle(Connection c, long ticketId, long articleId, boolean visibleForCustomer, String subject,
            String text) throws SQLException {
        Set<String> words = SearchWords.of(subject);
        words.addAll(SearchWords.of(text));
        replace(c, ticketId, articleId, visibleForCustomer, words);
    }

    static void remove(Connection c, long ticketId, long articleId) throws SQLException {
        Jdbc.update(c, "DELETE FROM gk_ticket_search_word WHERE ticket_id = ? AND article_id = ?",
                Jdbc.params(ticketId, articleId));
    }

    private static void replace(Connection c, long ticketId, long articleId, boolean visible, Set<String> words)
            throws SQLException {
        remove(c, ticketId, articleId);
        if (words.isEmpty()) {
            return;
        }
        try (PreparedStatement insert = c.prepareStatement("INSERT INTO gk_ticket_search_word"
                + " (word, ticket_id, article_id, visible_for_customer) VALUES (?, ?, ?, ?)")) {
            int batch = 0;
            for (String word : words) {
                insert.setString(1, word);
                insert.setLong(2, ticketId);
                insert.setLong(3, articleId);
                insert.setInt(4, visible ? 1 : 0);
                insert.addBatch();
                if (++batch % 500 == 0) {
                    insert.executeBatch();
                }
            }
            insert.executeBatch();
        }
    }
}
