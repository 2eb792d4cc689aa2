package io.goatflow.itests;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 request from a chosen local address (127.0.0.2 is loopback too on Linux), for what only the client
 * IP changes: a pending login presented from another address.
 */
final class RawHttp {
    record Answer(int status, String headers, String body) {
    }

    private RawHttp() {
    }

    static Answer post(String base, String path, String localAddress, String cookie, String json) throws IOException {
        URI uri = URI.create(base);
        try (Socket socket = new Socket()) {
            socket.bind(new InetSocketAddress(InetAddress.getByName(localAddress), 0));
            socket.connect(new InetSocketAddress("127.0.0.1", uri.getPort()), 5_000);
            socket.setSoTimeout(10_000);
            byte[] body = json.getBytes(StandardCharsets.UTF_8);
            String request = "POST " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + uri.getPort()
                    + "\r\nContent-Type: application/json\r\nAccept: application/json\r\nConnection: close\r\n"
                    + (cookie == null ? "" : "Cookie: " + cookie + "\r\n")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(body);
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            String text = all.toString(StandardCharsets.UTF_8);
            int split = text.indexOf("\r\n\r\n");
            String head = text.substring(0, split);
            String rest = text.substring(split + 4);
            if (head.toLowerCase(java.util.Locale.ROOT).contains("transfer-encoding: chunked")) {
                rest = dechunk(rest);
            }
            return new Answer(Integer.parseInt(head.split(" ")[1]), head, rest);
        }
    }

    private static String dechunk(String chunked) {
        StringBuilder out = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).trim().split(";")[0], 16);
            if (size == 0) {
                return out.toString();
            }
            out.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }
}
