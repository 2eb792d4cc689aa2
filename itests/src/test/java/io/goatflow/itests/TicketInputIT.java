package io.goatflow.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.goatflow.persistence.Database;
import io.goatflow.persistence.Jdbc;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.inject.Inject;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;

/**
 * Hostile and broken input against the ticket API: HTML that must be cleaned (on write and again on read),
 * attachment names and contents that must be refused or re-typed, malformed bodies, and writes that fail halfway
 * and must leave nothing behind.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class TicketInputIT extends GoatFlowTestSupport {
    private static final byte[] PNG = {(byte) 0x89, 'P', 'N', 'G', 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d};

    @Inject
    private Database database;

    /** Small limits (128 KiB bodies, 256 KiB on ticket routes), so over-limit requests stay small. */
    @Override
    @org.ops4j.pax.exam.Configuration
    public org.ops4j.pax.exam.Option[] config() {
        return goatflow(org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                "etc/io.goatflow.rest.cfg", "max.upload.bytes", "262144"),
                org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut(
                "etc/io.goatflow.rest.cfg", "max.body.bytes", "131072"));
    }

    private long newTicket(HelpDeskFixture fx, String token) throws Exception {
        return fx.call("POST", "/api/v1/tickets", token, Map.of("title", "Input " + System.nanoTime(), "queue_id", 1,
                "article", Map.of("channel", "phone", "body", "first")), 201).path("data").path("id").asLong();
    }

    private HttpResponse<String> upload(long ticket, long article, String filename, String type, byte[] content,
            String token) {
        return send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tickets/" + ticket + "/articles/" + article
                + "/attachments?filename=" + URLEncoder.encode(filename, StandardCharsets.UTF_8)))
                .header("Content-Type", type).POST(HttpRequest.BodyPublishers.ofByteArray(content)), token);
    }

    private HttpResponse<byte[]> download(long ticket, long article, long attachment, String token) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tickets/" + ticket + "/articles/"
                + article + "/attachments/" + attachment)).header("Authorization", "Bearer " + token).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
    }

    @Test
    public void articleHtmlIsCleanedOnWriteAndAgainOnRead() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        long ticket = newTicket(fx, admin);
        String hostile = "<p style=\"background:url(https://evil.test/x)\" onclick=\"steal()\">Hello <b>there</b></p>"
                + "<script>alert(1)</script><a href=\"javascript:alert(2)\">link</a><a href=\"https://ok.test\">ok</a>"
                + "<img src=\"x\" onerror=\"alert(3)\"><iframe src=\"https://evil.test\"></iframe>"
                + "<style>body{background:url(https://evil.test)}</style><svg onload=\"alert(4)\"></svg>"
                + "<img src=\"https://evil.test/pixel.png\"><img src=\"cid:logo@example\">";
        JsonNode article = fx.call("POST", "/api/v1/tickets/" + ticket + "/articles", admin, Map.of("channel", "email",
                "content_type", "text/html", "body", hostile), 201).path("data");
        String body = article.path("body").asText();
        for (String bad : List.of("script", "onclick", "onerror", "onload", "javascript:", "style", "iframe", "svg",
                "evil.test")) {
            assertFalse(bad + " survived: " + body, body.toLowerCase().contains(bad));
        }
        assertTrue(body, body.contains("<b>there</b>"));
        assertTrue(body, body.contains("href=\"https://ok.test\""));
        assertTrue(body, body.contains("rel=\"nofollow noopener noreferrer\""));
        assertTrue("inline images stay: " + body, body.contains("src=\"cid:logo@example\""));
        long articleId = article.path("id").asLong();

        // a row written behind the API's back (an import, an older version) is cleaned when read
        database.inTransaction(c -> Jdbc.update(c, "UPDATE article_data_mime SET a_body = ? WHERE article_id = ?",
                Jdbc.params("<p>Imported<script>alert(5)</script><img src=x onerror=alert(6)></p>", articleId)));
        String read = fx.call("GET", "/api/v1/tickets/" + ticket + "/articles/" + articleId, admin, null, 200)
                .path("data").path("body").asText();
        assertTrue(read, read.contains("Imported"));
        assertFalse(read, read.contains("script") || read.contains("onerror"));

        // text/plain is stored as written (clients escape it), HTML that is nothing but script is refused
        String plain = "<b>not html</b> & 1 < 2";
        assertEquals(plain, fx.call("POST", "/api/v1/tickets/" + ticket + "/articles", admin, Map.of("body", plain),
                201).path("data").path("body").asText());
        assertError(post("/api/v1/tickets/" + ticket + "/articles", admin,
                "{\"content_type\":\"text/html\",\"body\":\"<script>alert(1)</script>\"}"), 400, "VALIDATION_FAILED");
        assertError(post("/api/v1/tickets/" + ticket + "/articles", admin,
                "{\"content_type\":\"application/x-sh\",\"body\":\"x\"}"), 400, "VALIDATION_FAILED");
    }

    @Test
    public void attachmentsAreCheckedTypedAndServedSafely() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        long ticket = newTicket(fx, admin);
        long article = fx.call("GET", "/api/v1/tickets/" + ticket + "/articles", admin, null, 200).path("data").get(0)
                .path("id").asLong();

        for (String name : List.of("a\u0000b.txt", "../../etc/passwd", "dir/file.txt", "dir\\file.txt", "bell\u0007.txt",
                "invoice.exe", "script.PS1", "run.sh", "setup.bat", "trailing.", "x..y.txt", "rtl\u202egnp.exe", " ",
                "a".repeat(260) + ".txt")) {
            HttpResponse<String> refused = upload(ticket, article, name, "text/plain", "x".getBytes(), admin);
            assertError(refused, 400, "INVALID_FILENAME");
        }
        assertError(post("/api/v1/tickets/" + ticket + "/articles", admin, "{\"body\":\"x\",\"attachments\":"
                + "[{\"filename\":\"evil.exe\",\"content_base64\":\"eA==\"}]}"), 400, "INVALID_FILENAME");

        // the bytes decide the type: a PNG declared as HTML is a PNG, HTML declared as PNG is not an image
        JsonNode png = json(upload(ticket, article, "Bild ö.png", "text/html", PNG, admin)).path("data");
        assertEquals("image/png", png.path("content_type").asText());
        assertEquals(PNG.length, png.path("size").asInt());
        JsonNode fake = json(upload(ticket, article, "fake.png", "image/png",
                "<html><script>alert(1)</script></html>".getBytes(), admin)).path("data");
        assertEquals("application/octet-stream", fake.path("content_type").asText());
        JsonNode html = json(upload(ticket, article, "page.html", "text/html",
                "<html><script>alert(1)</script></html>".getBytes(), admin)).path("data");
        assertEquals("text/plain", html.path("content_type").asText());

        HttpResponse<byte[]> got = download(ticket, article, png.path("id").asLong(), admin);
        assertEquals(200, got.statusCode());
        assertArrayEquals(PNG, got.body());
        assertEquals("image/png", got.headers().firstValue("Content-Type").orElse(""));
        assertEquals("nosniff", got.headers().firstValue("X-Content-Type-Options").orElse(""));
        String disposition = got.headers().firstValue("Content-Disposition").orElse("");
        assertTrue(disposition, disposition.startsWith("attachment; filename=\"Bild _.png\""));
        assertTrue(disposition, disposition.contains("filename*=UTF-8''Bild%20%C3%B6.png"));

        JsonNode list = fx.call("GET", "/api/v1/tickets/" + ticket + "/articles/" + article + "/attachments", admin,
                null, 200).path("data");
        assertEquals(3, list.size());
        assertEquals(404, download(ticket, article, 999999999L, admin).statusCode());

        // empty files are refused; too-large files get 413 (limits are settings)
        assertError(upload(ticket, article, "empty.txt", "text/plain", new byte[0], admin), 400, "VALIDATION_FAILED");
        fx.call("PUT", "/api/v1/admin/sysconfig/Ticket::Attachment::MaxBytes", admin, Map.of("value", 1000), 200);
        try {
            assertError(upload(ticket, article, "big.bin", "application/octet-stream", new byte[1001], admin), 413,
                    "ATTACHMENT_TOO_LARGE");
            fx.call("PUT", "/api/v1/admin/sysconfig/Ticket::Attachment::TicketQuotaBytes", admin, Map.of("value", 1500),
                    200);
            assertEquals(201, upload(ticket, article, "fits.bin", "application/octet-stream", new byte[900], admin)
                    .statusCode());
            assertError(upload(ticket, article, "over.bin", "application/octet-stream", new byte[900], admin), 413,
                    "ATTACHMENT_QUOTA_EXCEEDED");
        } finally {
            fx.call("DELETE", "/api/v1/admin/sysconfig/Ticket::Attachment::MaxBytes", admin, null, 200);
            fx.call("DELETE", "/api/v1/admin/sysconfig/Ticket::Attachment::TicketQuotaBytes", admin, null, 200);
        }
    }

    @Test
    public void brokenBodiesGetClearErrorsAndFailedWritesLeaveNothing() throws Exception {
        String admin = adminToken();
        HelpDeskFixture fx = new HelpDeskFixture(http, base(), admin);
        long ticket = newTicket(fx, admin);
        assertError(post("/api/v1/tickets", admin, "{\"title\":"), 400, "INVALID_JSON");
        assertError(post("/api/v1/tickets", admin, "[1,2]"), 400, "INVALID_JSON");
        JsonNode wrongType = assertError(post("/api/v1/tickets", admin, "{\"title\":\"x\",\"queue_id\":\"one\"}"),
                400, "INVALID_JSON");
        assertTrue(wrongType.toString(), wrongType.path("error").path("message").asText().contains("queue_id"));
        JsonNode unknown = assertError(post("/api/v1/tickets", admin, "{\"title\":\"x\",\"colour\":\"red\"}"),
                400, "INVALID_JSON");
        assertTrue(unknown.toString(), unknown.path("error").path("message").asText().contains("colour"));
        JsonNode missing = assertError(post("/api/v1/tickets", admin, "{\"queue_id\":1,\"article\":{\"body\":\"x\"}}"),
                400, "VALIDATION_FAILED");
        assertTrue(missing.toString(), missing.path("error").path("message").asText().startsWith("title"));
        assertError(post("/api/v1/tickets", admin, "{\"title\":\"x\",\"queue_id\":1}"), 400, "VALIDATION_FAILED");
        assertError(post("/api/v1/tickets", admin, "{\"title\":\"x\",\"queue_id\":999999,\"article\":{\"body\":\"x\"}}"),
                400, "VALIDATION_FAILED");
        assertError(post("/api/v1/tickets/" + ticket + "/articles", admin, "{\"body\":\"\"}"), 400,
                "VALIDATION_FAILED");
        assertError(post("/api/v1/tickets/" + ticket + "/articles", admin, "{\"body\":\"x\",\"content_type\":\";\"}"),
                400, "VALIDATION_FAILED");
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tickets")).header("Content-Type",
                "text/plain").POST(HttpRequest.BodyPublishers.ofString("title=x")), admin), 415,
                "UNSUPPORTED_MEDIA_TYPE");
        assertError(put("/api/v1/tickets/" + ticket, admin, "{\"title\":\"" + "x".repeat(300) + "\"}"), 400,
                "VALIDATION_FAILED");
        // bodies over the upload limit of ticket routes (256 KiB in this class, see config()) get 413; the body is
        // small enough to sit in the socket buffer, so the client reads the early answer instead of a reset
        byte[] huge = new byte[300 * 1024];
        assertError(send(HttpRequest.newBuilder(URI.create(base() + "/api/v1/tickets"))
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofByteArray(huge)), admin),
                413, "PAYLOAD_TOO_LARGE");
        // ticket routes read bodies up to the upload limit and judge them on their content; elsewhere 128 KiB is the end
        assertError(post("/api/v1/tickets", admin, "{\"title\":\"" + "y".repeat(200 * 1024) + "\"}"), 400,
                "VALIDATION_FAILED");
        assertError(put("/api/v1/customer-companies/none", admin, "{\"name\":\"" + "y".repeat(200 * 1024) + "\"}"),
                413, "PAYLOAD_TOO_LARGE");

        // one bad attachment fails the whole ticket: no ticket, article, history or search words remain
        String word = "atomic" + fx.suffix.replaceAll("[^a-z0-9]", "");
        String title = "Title " + word;
        long before = count("SELECT COUNT(*) AS n FROM ticket");
        long articlesBefore = count("SELECT COUNT(*) AS n FROM article");
        Map<String, Object> request = new LinkedHashMap<>();
        request.put("title", title);
        request.put("queue_id", 1);
        request.put("article", Map.of("body", "has attachments", "attachments", List.of(
                Map.of("filename", "ok.txt", "content_base64", Base64.getEncoder().encodeToString("fine".getBytes())),
                Map.of("filename", "bad.exe", "content_base64", "eA=="))));
        assertError(post("/api/v1/tickets", admin, fx.JSON.writeValueAsString(request)), 400, "INVALID_FILENAME");
        assertEquals(before, count("SELECT COUNT(*) AS n FROM ticket"));
        assertEquals(articlesBefore, count("SELECT COUNT(*) AS n FROM article"));
        assertEquals(0, count("SELECT COUNT(*) AS n FROM gk_ticket_search_word WHERE word = '" + word + "'"));
        assertEquals(0, count("SELECT COUNT(*) AS n FROM ticket WHERE title = '" + title + "'"));
        request.put("article", Map.of("body", "bad base64", "attachments", List.of(Map.of("filename", "x.txt",
                "content_base64", "***"))));
        assertError(post("/api/v1/tickets", admin, fx.JSON.writeValueAsString(request)), 400, "VALIDATION_FAILED");
        assertEquals(before, count("SELECT COUNT(*) AS n FROM ticket"));
    }

    private long count(String sql) {
        return database.inTransaction(c -> ((Number) Jdbc.rows(c, sql, List.of()).get(0).get("n")).longValue());
    }
}
