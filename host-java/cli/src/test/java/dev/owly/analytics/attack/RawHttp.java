package dev.owly.analytics.attack;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * HTTP/1.1 over a plain socket, from a chosen loopback source address (127.0.0.x), with keep-alive:
 * the attack tests need both, and full control of what is sent (a lying {@code Content-Length}, a
 * foreign {@code Host}).
 */
final class RawHttp implements Closeable {
  /** One answer; header names lower case. */
  record Answer(int status, Map<String, String> headers, String body) {
    String header(String name) {
      return headers.get(name.toLowerCase(Locale.ROOT));
    }
  }

  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final String authority;

  private RawHttp(Socket socket, String authority) throws IOException {
    this.socket = socket;
    this.in = new BufferedInputStream(socket.getInputStream());
    this.out = new BufferedOutputStream(socket.getOutputStream());
    this.authority = authority;
  }

  /** Connects to {@code target}'s host and port from {@code local} (null: any). */
  static RawHttp connect(InetAddress local, URI target, int timeoutMs) throws IOException {
    Socket s = new Socket();
    if (local != null) {
      s.bind(new InetSocketAddress(local, 0));
    }
    s.connect(new InetSocketAddress(target.getHost(), target.getPort()), timeoutMs);
    s.setSoTimeout(timeoutMs);
    s.setTcpNoDelay(true);
    return new RawHttp(s, target.getHost() + ":" + target.getPort());
  }

  /** The {@code 127.0.0.n} address, n in 1..254. */
  static InetAddress loopback(int n) {
    try {
      return InetAddress.getByAddress(new byte[] {127, 0, (byte) (n >> 8), (byte) n});
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  /** Sends a request with {@code Host} = the target, unless {@code headers} sets one. */
  Answer send(String method, String path, Map<String, String> headers, String body)
      throws IOException {
    Map<String, String> h = new LinkedHashMap<>();
    h.put("Host", authority);
    h.putAll(headers);
    byte[] bytes = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
    if (body != null) {
      h.put("Content-Length", Integer.toString(bytes.length));
    }
    StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n");
    h.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
    head.append("\r\n");
    byte[] headBytes = head.toString().getBytes(StandardCharsets.ISO_8859_1);
    byte[] all = new byte[headBytes.length + bytes.length];
    System.arraycopy(headBytes, 0, all, 0, headBytes.length);
    System.arraycopy(bytes, 0, all, headBytes.length, bytes.length);
    out.write(all);
    out.flush();
    return read();
  }

  /** Writes raw bytes (a partial request). */
  void write(String raw) throws IOException {
    out.write(raw.getBytes(StandardCharsets.ISO_8859_1));
    out.flush();
  }

  /** Whether the server closed the connection (reads until EOF or the socket timeout). */
  boolean closedByServer() {
    try {
      byte[] sink = new byte[4096];
      while (in.read(sink) != -1) {
        // an answer to a partial request, if any, is not what is asked here
      }
      return true;
    } catch (IOException e) {
      return e.getMessage() != null && e.getMessage().contains("reset");
    }
  }

  Answer read() throws IOException {
    String statusLine = line();
    if (statusLine == null) {
      throw new IOException("connection closed before an answer");
    }
    String[] parts = statusLine.split(" ", 3);
    int status = Integer.parseInt(parts[1]);
    Map<String, String> headers = new LinkedHashMap<>();
    String l;
    while ((l = line()) != null && !l.isEmpty()) {
      int colon = l.indexOf(':');
      String name = l.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = l.substring(colon + 1).trim();
      headers.merge(name, value, (a, b) -> a + "\n" + b);
    }
    byte[] body;
    if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      int size;
      while ((size = Integer.parseInt(line().split(";")[0].trim(), 16)) > 0) {
        all.write(in.readNBytes(size));
        line();
      }
      line();
      body = all.toByteArray();
    } else if (headers.containsKey("content-length")) {
      body = in.readNBytes(Integer.parseInt(headers.get("content-length")));
    } else {
      body = new byte[0];
    }
    return new Answer(status, headers, new String(body, StandardCharsets.UTF_8));
  }

  private String line() throws IOException {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1) {
      if (c == '\n') {
        String s = b.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
      }
      b.write(c);
    }
    return b.size() == 0 ? null : b.toString(StandardCharsets.ISO_8859_1);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
