package io.overseer.master.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scrape of {@code /metrics}: its samples by name and labels, and the check of the whole text
 * by Prometheus's own {@code promtool check metrics} (Debian's {@code prometheus} package), where
 * it is installed.
 */
record Scrape(String text, Map<String, Map<Map<String, String>, Double>> samples) {
  private static final Pattern SAMPLE =
      Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(\\{(.*)\\})?\\s+(\\S+)(\\s+\\S+)?$");
  private static final Pattern LABEL =
      Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\",?");

  static Scrape of(String text) {
    Map<String, Map<Map<String, String>, Double>> samples = new HashMap<>();
    for (String line : text.split("\n")) {
      if (line.isBlank() || line.startsWith("#")) {
        continue;
      }
      Matcher m = SAMPLE.matcher(line);
      if (!m.matches()) {
        throw new AssertionError("not a sample line: " + line);
      }
      Map<String, String> labels = new LinkedHashMap<>();
      if (m.group(3) != null) {
        Matcher l = LABEL.matcher(m.group(3));
        while (l.find()) {
          labels.put(l.group(1), l.group(2));
        }
      }
      samples.computeIfAbsent(m.group(1), n -> new HashMap<>()).put(labels, parse(m.group(4)));
    }
    return new Scrape(text, samples);
  }

  private static double parse(String value) {
    return switch (value) {
      case "+Inf" -> Double.POSITIVE_INFINITY;
      case "-Inf" -> Double.NEGATIVE_INFINITY;
      case "NaN" -> Double.NaN;
      default -> Double.parseDouble(value);
    };
  }

  /** The sum of the samples of {@code name} whose labels include {@code match}; 0 if none. */
  double sum(String name, Map<String, String> match) {
    return samples.getOrDefault(name, Map.of()).entrySet().stream()
        .filter(e -> e.getKey().entrySet().containsAll(match.entrySet()))
        .mapToDouble(Map.Entry::getValue)
        .sum();
  }

  boolean has(String name, Map<String, String> match) {
    return samples.getOrDefault(name, Map.of()).keySet().stream()
        .anyMatch(labels -> labels.entrySet().containsAll(match.entrySet()));
  }

  /** promtool, if this machine has it (Debian: apt-get install prometheus). */
  static Optional<Path> promtool() {
    for (String dir : System.getenv().getOrDefault("PATH", "").split(":")) {
      Path candidate = Path.of(dir, "promtool");
      if (Files.isExecutable(candidate)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * Runs {@code promtool check metrics} on the text: it parses it with Prometheus's own parser and
   * lints the names (units, {@code _total}, help texts); fails the test on any problem.
   */
  void checkWith(Path promtool) throws IOException, InterruptedException {
    Process check =
        new ProcessBuilder(promtool.toString(), "check", "metrics")
            .redirectErrorStream(true)
            .start();
    try {
      try (var in = check.getOutputStream()) {
        in.write(text.getBytes(StandardCharsets.UTF_8));
      }
      String output = new String(check.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!check.waitFor(30, TimeUnit.SECONDS)) {
        throw new AssertionError("promtool did not finish within 30s");
      }
      assertEquals(0, check.exitValue(), "promtool check metrics:\n" + output);
    } finally {
      check.destroyForcibly();
    }
  }
}
