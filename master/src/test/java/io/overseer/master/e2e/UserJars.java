package io.overseer.master.e2e;

import io.overseer.api.jobs.Job;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Test jobs packed into a jar of their own at test time, as a user's build would pack them. */
final class UserJars {
  private UserJars() {}

  /**
   * A jar with the classes of {@code jobs} and their {@code META-INF/services} file, in a new
   * temporary directory.
   */
  @SafeVarargs
  static Path jobs(String name, Class<? extends Job>... jobs) throws IOException {
    Path jar = Files.createTempDirectory("overseer-user-jar-").resolve(name + ".jar");
    StringBuilder services = new StringBuilder();
    try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
      for (Class<? extends Job> job : jobs) {
        String type = job.getName().replace('.', '/') + ".class";
        try (InputStream bytes = job.getResourceAsStream("/" + type)) {
          out.putNextEntry(new JarEntry(type));
          out.write(bytes.readAllBytes());
        }
        services.append(job.getName()).append('\n');
      }
      out.putNextEntry(new JarEntry("META-INF/services/" + Job.class.getName()));
      out.write(services.toString().getBytes(StandardCharsets.UTF_8));
    }
    return jar;
  }
}
