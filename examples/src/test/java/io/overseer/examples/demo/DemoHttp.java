package io.overseer.examples.demo;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** Real HTTP calls to a running demo backend, answers parsed as JSON. */
final class DemoHttp {
  private static final ObjectMapper MAPPER = new ObjectMapper();
  private static final Duration TIMEOUT = Duration.ofSeconds(30);

  /** One answer: its status, its JSON body, and how long it took from send to full body. */
  record Answer(int status, JsonNode body, Duration took, HttpResponse<String> raw) {}

  private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
  private final String base;

  DemoHttp(int port) {
    this.base = "http://127.0.0.1:" + port;
  }

  Answer get(String pathAndQuery) {
    return send(request(pathAndQuery).GET().build());
  }

  Answer post(String pathAndQuery) {
    return send(request(pathAndQuery).POST(HttpRequest.BodyPublishers.ofString("{}")).build());
  }

  CompletableFuture<Answer> getAsync(String pathAndQuery) {
    long start = System.nanoTime();
    return client
        .sendAsync(request(pathAndQuery).GET().build(), HttpResponse.BodyHandlers.ofString())
        .thenApply(response -> answer(response, start));
  }

  private HttpRequest.Builder request(String pathAndQuery) {
    return HttpRequest.newBuilder(URI.create(base + pathAndQuery)).timeout(TIMEOUT);
  }

  private Answer send(HttpRequest request) {
    long start = System.nanoTime();
    try {
      return answer(client.send(request, HttpResponse.BodyHandlers.ofString()), start);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static Answer answer(HttpResponse<String> response, long start) {
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    try {
      return new Answer(response.statusCode(), MAPPER.readTree(response.body()), took, response);
    } catch (IOException e) {
      throw new AssertionError("not JSON: " + response.body(), e);
    }
  }
}
