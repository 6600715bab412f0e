package io.overseer.master.e2e;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Several "hosts" on this machine for partition tests: one network namespace per host, each with a
 * veth link to a bridge that this object creates in the root namespace (so the test JVM reaches
 * every host directly), on a private /24 no existing route uses. {@link #cut} takes a host's link
 * down (its packets are dropped, as on a pulled cable), {@link #heal} brings it back.
 *
 * <p>Everything it makes carries this JVM's pid: namespaces are named {@code ovt-<pid>-h<n>} and
 * the bridge's alias names the pid, so a run that died before {@link #close} is cleaned up by the
 * next one ({@link #sweepStale}). Processes started on a host are ended by pid on close, with their
 * descendants; nothing is ever killed by name. Needs root and iproute2: {@link #unavailableReason}
 * says why not, for the test to skip with that reason printed.
 */
final class NamespaceHosts implements AutoCloseable {
  private static final String PREFIX = "ovt-";
  private static final Pattern OWNED = Pattern.compile("ovt-(\\d+)-.*");
  private static final Duration COMMAND_TIMEOUT = Duration.ofSeconds(20);

  /** One host: its namespace and its address on the bridge. */
  record Host(String name, String namespace, String address, String hostLink) {}

  private final String bridge;
  private final String subnet;
  private final List<Host> hosts = new ArrayList<>();
  private final List<Process> processes = new ArrayList<>();

  private NamespaceHosts(String bridge, String subnet) {
    this.bridge = bridge;
    this.subnet = subnet;
  }

  /** Empty when namespaces can be made here; else why not (printed by the skipping test). */
  static Optional<String> unavailableReason() {
    try {
      if (!"0".equals(run("id", "-u").strip())) {
        return Optional.of(
            "network namespaces need root; this test runs as uid " + run("id", "-u"));
      }
      if (!Files.isExecutable(Path.of("/usr/sbin/ip"))
          && !Files.isExecutable(Path.of("/sbin/ip"))) {
        return Optional.of("iproute2's ip is not installed (.ci/run installs it)");
      }
      String probe = PREFIX + ProcessHandle.current().pid() + "-probe";
      run("ip", "netns", "add", probe);
      run("ip", "netns", "del", probe);
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("cannot create a network namespace here: " + e.getMessage());
    }
  }

  /**
   * Creates {@code count} hosts named h1..hN, all up and reachable from this JVM and each other.
   */
  static NamespaceHosts create(int count) throws IOException {
    sweepStale();
    long pid = ProcessHandle.current().pid();
    String routes = run("ip", "-4", "route", "show");
    int third = ThreadLocalRandom.current().nextInt(1, 250);
    while (routes.contains("10.213." + third + ".")) {
      third = third % 249 + 1;
    }
    // Interface names have at most 15 characters: the pid goes into the alias, not the name.
    String tag = Long.toString(pid % 46_656, 36) + Integer.toString(third, 36);
    NamespaceHosts net = new NamespaceHosts("ovb" + tag, "10.213." + third);
    try {
      run("ip", "link", "add", net.bridge, "type", "bridge");
      run("ip", "link", "set", "dev", net.bridge, "alias", PREFIX + pid + "-bridge");
      run("ip", "addr", "add", net.subnet + ".254/24", "dev", net.bridge);
      run("ip", "link", "set", net.bridge, "up");
      for (int n = 1; n <= count; n++) {
        net.addHost(n, tag, pid);
      }
      return net;
    } catch (IOException | RuntimeException e) {
      net.close();
      throw e;
    }
  }

  private void addHost(int n, String tag, long pid) throws IOException {
    String namespace = PREFIX + pid + "-h" + n;
    String hostLink = "ov" + tag + "h" + n;
    Host host = new Host("h" + n, namespace, subnet + "." + n, hostLink);
    run("ip", "netns", "add", namespace);
    hosts.add(host);
    run("ip", "link", "add", hostLink, "type", "veth", "peer", "name", "eth0", "netns", namespace);
    run("ip", "link", "set", hostLink, "master", bridge, "up");
    run("ip", "-n", namespace, "link", "set", "lo", "up");
    run("ip", "-n", namespace, "addr", "add", host.address() + "/24", "dev", "eth0");
    run("ip", "-n", namespace, "link", "set", "eth0", "up");
  }

  Host host(int n) {
    return hosts.get(n - 1);
  }

  /**
   * Starts {@code argv} inside the host's namespace ({@code ip netns exec} execs it: the pid is the
   * program's own), output appended to {@code log}. Ended by pid, with its descendants, on close.
   */
  Process start(Host host, List<String> argv, Path log, java.util.Map<String, String> env)
      throws IOException {
    return start(host, argv, log, env, null);
  }

  /** The same, run in {@code directory} (null: this JVM's). */
  Process start(
      Host host, List<String> argv, Path log, java.util.Map<String, String> env, Path directory)
      throws IOException {
    List<String> command = new ArrayList<>(List.of("ip", "netns", "exec", host.namespace()));
    command.addAll(argv);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (directory != null) {
      builder.directory(directory.toFile());
    }
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    builder.environment().putAll(env);
    Process process = builder.start();
    synchronized (processes) {
      processes.add(process);
    }
    return process;
  }

  /** Takes the host's link down: nothing reaches it or leaves it until {@link #heal}. */
  void cut(Host host) throws IOException {
    run("ip", "link", "set", host.hostLink(), "down");
  }

  void heal(Host host) throws IOException {
    run("ip", "link", "set", host.hostLink(), "up");
  }

  /** Ends every process started here (by pid, descendants first), then removes what it made. */
  @Override
  public void close() {
    List<Process> started;
    synchronized (processes) {
      started = List.copyOf(processes);
    }
    List<ProcessHandle> all = new ArrayList<>();
    for (Process p : started) {
      p.descendants().forEach(all::add);
      all.add(p.toHandle());
    }
    all.forEach(ProcessHandle::destroy);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    for (ProcessHandle handle : all) {
      try {
        long left = Math.max(1, deadline - System.nanoTime());
        handle.onExit().get(left, TimeUnit.NANOSECONDS);
      } catch (Exception e) {
        handle.destroyForcibly();
      }
    }
    for (Host host : hosts) {
      quietly("ip", "netns", "del", host.namespace());
    }
    quietly("ip", "link", "del", bridge);
  }

  /** Removes namespaces and bridges left by test JVMs that are gone. */
  static void sweepStale() {
    try {
      for (String line : run("ip", "netns", "list").split("\n")) {
        String name = line.split(" ")[0].strip();
        Matcher owned = OWNED.matcher(name);
        if (owned.matches() && isGone(owned.group(1))) {
          quietly("ip", "netns", "del", name);
        }
      }
      String links = run("ip", "-o", "link", "show", "type", "bridge");
      Matcher bridge =
          Pattern.compile("\\d+: (ovb[0-9a-z]+):.*alias ovt-(\\d+)-bridge").matcher(links);
      while (bridge.find()) {
        if (isGone(bridge.group(2))) {
          quietly("ip", "link", "del", bridge.group(1));
        }
      }
    } catch (IOException e) {
      // Nothing to sweep where namespaces cannot be listed.
    }
  }

  private static boolean isGone(String pid) {
    return ProcessHandle.of(Long.parseLong(pid)).map(h -> !h.isAlive()).orElse(true);
  }

  private static void quietly(String... command) {
    try {
      run(command);
    } catch (IOException e) {
      System.err.println("NamespaceHosts cleanup: " + e.getMessage());
    }
  }

  /** Runs a command (no shell), returns its output; a non-zero exit is an IOException naming it. */
  static String run(String... command) throws IOException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      if (!process.waitFor(COMMAND_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        process.destroyForcibly();
        throw new IOException(String.join(" ", command) + ": no answer within " + COMMAND_TIMEOUT);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
      throw new IOException("interrupted", e);
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (process.exitValue() != 0) {
      throw new IOException(
          String.join(" ", command) + " exited " + process.exitValue() + ": " + output.strip());
    }
    return output;
  }
}
