package io.overseer.master.schedule;

import com.cronutils.model.Cron;
import com.cronutils.model.CronType;
import com.cronutils.model.definition.CronDefinitionBuilder;
import com.cronutils.model.time.ExecutionTime;
import com.cronutils.parser.CronParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigException;
import com.typesafe.config.ConfigObject;
import com.typesafe.config.ConfigRenderOptions;
import com.typesafe.config.ConfigValue;
import com.typesafe.config.ConfigValueType;
import java.nio.file.Path;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * {@code overseer.schedules}, {@code overseer.schedule-defaults} and {@code overseer.scheduling},
 * read and checked once at start: a bad cron expression, an unknown zone or policy, a job that
 * {@code overseer.jobs} does not declare, or a key that schedule-defaults does not know stops the
 * start with a message naming the key (and the file and line).
 *
 * @param schedules every configured schedule, by name order
 * @param stateFile where the last tick of each schedule is recorded (absolute)
 * @param missedAfter a tick run later than this after its instant was missed
 * @param maxSleep the longest the clock sleeps before it looks at the time again
 * @param retryRefused how often a refused tick is tried again under run-once-late
 * @param readTimeout how long a clock taking over waits for the other masters' last ticks
 * @param writeTimeout how long a tick waits for the other masters to have it before it runs
 * @param inheritedRunGrace how long past its deadline a run a previous clock left running counts as
 *     running
 * @param maxReplicatedRuns the newest runs per schedule shared with the other masters
 */
public record SchedulingSettings(
    List<Schedule> schedules,
    Path stateFile,
    Duration missedAfter,
    Duration maxSleep,
    Duration retryRefused,
    Duration readTimeout,
    Duration writeTimeout,
    Duration inheritedRunGrace,
    int maxReplicatedRuns) {

  /** Letters, digits and {@code _ . -}, as app names: a name is a path segment and a table cell. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_.-]{1,64}");

  private static final ObjectMapper JSON = new ObjectMapper();

  /** Six fields, seconds first; {@link CronParser} is immutable and safe to share. */
  private static final CronParser CRON =
      new CronParser(CronDefinitionBuilder.instanceDefinitionFor(CronType.SPRING53));

  public SchedulingSettings {
    schedules = List.copyOf(schedules);
  }

  /**
   * @param o the {@code overseer} section, the user's over the defaults
   * @param home the master's OVERSEER_HOME, which a relative state file is resolved against
   */
  public static SchedulingSettings create(Config o, Path home) {
    Config defaults = o.getConfig("schedule-defaults");
    Set<String> jobs = o.hasPath("jobs") ? o.getObject("jobs").keySet() : Set.of();
    List<Schedule> schedules = new ArrayList<>();
    ConfigObject blocks = o.getObject("schedules");
    for (String name : new TreeSet<>(blocks.keySet())) {
      schedules.add(schedule(name, blocks.get(name), defaults, jobs, o));
    }
    Config s = o.getConfig("scheduling");
    return new SchedulingSettings(
        schedules,
        home.resolve(s.getString("state-file")).toAbsolutePath().normalize(),
        positive(s, "missed-after"),
        positive(s, "max-sleep"),
        positive(s, "retry-refused"),
        positive(s, "read-timeout"),
        positive(s, "write-timeout"),
        positive(s, "inherited-run-grace"),
        maxReplicatedRuns(s));
  }

  /** The schedule of this name, or null. */
  public Schedule schedule(String name) {
    return schedules.stream().filter(s -> s.name().equals(name)).findFirst().orElse(null);
  }

  private static Schedule schedule(
      String name, ConfigValue value, Config defaults, Set<String> jobs, Config o) {
    String path = "overseer.schedules." + name;
    if (!NAME.matcher(name).matches()) {
      throw invalid(path, value, "a schedule's name is 1 to 64 letters, digits, '_', '.' or '-'");
    }
    if (value.valueType() != ConfigValueType.OBJECT) {
      throw invalid(path, value, "must be an object { cron = ..., job = ... }");
    }
    ConfigObject block = (ConfigObject) value;
    for (String key : block.keySet()) {
      if (!defaults.root().containsKey(key)) {
        throw invalid(
            path + "." + key,
            block.get(key),
            "unknown key (a schedule has " + new TreeSet<>(defaults.root().keySet()) + ")");
      }
    }
    Config c = block.toConfig().withFallback(defaults);
    String cronText = string(c, path, "cron", block);
    if (cronText.isBlank()) {
      throw invalid(path, value, "cron is required, e.g. cron = \"0 */5 * * * *\"");
    }
    ExecutionTime times;
    try {
      Cron cron = CRON.parse(cronText);
      cron.validate();
      times = ExecutionTime.forCron(cron);
    } catch (IllegalArgumentException e) {
      throw invalid(
          path + ".cron",
          block.get("cron"),
          "not a cron expression of six fields, seconds first (\""
              + cronText
              + "\": "
              + e.getMessage()
              + ")");
    }
    ZoneId zone;
    String zoneText = string(c, path, "time-zone", block);
    try {
      zone = ZoneId.of(zoneText);
    } catch (DateTimeException e) {
      throw invalid(
          path + ".time-zone",
          origin(block, "time-zone", value),
          "unknown time zone \""
              + zoneText
              + "\" (an IANA name like \"Europe/Paris\", or \"UTC\")");
    }
    String job = string(c, path, "job", block);
    if (job.isBlank()) {
      throw invalid(path, value, "job is required: the name of a job under overseer.jobs");
    }
    if (!jobs.contains(job)) {
      throw invalid(
          path + ".job",
          block.get("job"),
          "unknown job \""
              + job
              + "\": overseer.jobs declares "
              + (jobs.isEmpty() ? "no job" : new TreeSet<>(jobs)));
    }
    Schedule.Overlap overlap =
        policy(c, path, "overlap", block, Schedule.Overlap.class, "skip or queue-one");
    Schedule.Missed missed =
        policy(c, path, "missed", block, Schedule.Missed.class, "run-once-late or skip");
    int history;
    try {
      history = c.getInt("history");
    } catch (ConfigException.WrongType e) {
      throw invalid(path + ".history", origin(block, "history", value), "not a number");
    }
    if (history < 1 || history > 10_000) {
      throw invalid(
          path + ".history",
          origin(block, "history", value),
          "must be from 1 to 10000, got " + history);
    }
    Schedule schedule =
        new Schedule(
            name,
            cronText,
            times,
            zone,
            job,
            args(c, path, block, value),
            overlap,
            missed,
            history,
            jobDeadline(o, job));
    if (schedule.nextAfter(java.time.Instant.now()).isEmpty()) {
      throw invalid(path + ".cron", block.get("cron"), "\"" + cronText + "\" never fires again");
    }
    return schedule;
  }

  /** The job's deadline as its launcher reads it (checked there: JobsConfig). */
  private static Duration jobDeadline(Config o, String job) {
    return o.getConfig("jobs")
        .getConfig("\"" + job + "\"")
        .withFallback(o.getConfig("job-defaults"))
        .getDuration("deadline");
  }

  private static ObjectNode args(Config c, String path, ConfigObject block, ConfigValue value) {
    ConfigValue args = c.getValue("args");
    if (args.valueType() != ConfigValueType.OBJECT) {
      throw invalid(
          path + ".args", origin(block, "args", value), "must be an object { key = value }");
    }
    try {
      JsonNode json = JSON.readTree(args.render(ConfigRenderOptions.concise()));
      return (ObjectNode) json;
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw invalid(path + ".args", args, "cannot be read as JSON: " + e.getOriginalMessage());
    }
  }

  private static String string(Config c, String path, String key, ConfigObject block) {
    try {
      return c.getString(key);
    } catch (ConfigException.WrongType e) {
      throw invalid(path + "." + key, block.get(key), "must be a string");
    }
  }

  /** {@code queue-one} is {@link Schedule.Overlap#QUEUE_ONE}; anything else names the choices. */
  private static <E extends Enum<E>> E policy(
      Config c, String path, String key, ConfigObject block, Class<E> type, String choices) {
    String text = string(c, path, key, block);
    try {
      return Enum.valueOf(type, text.toUpperCase(Locale.ROOT).replace('-', '_'));
    } catch (IllegalArgumentException e) {
      throw invalid(
          path + "." + key, block.get(key), "unknown policy \"" + text + "\" (" + choices + ")");
    }
  }

  private static int maxReplicatedRuns(Config s) {
    int runs = s.getInt("max-replicated-runs");
    if (runs < 1 || runs > 1_000) {
      throw invalid(
          "overseer.scheduling.max-replicated-runs",
          s.getValue("max-replicated-runs"),
          "must be from 1 to 1000, got " + runs);
    }
    return runs;
  }

  private static Duration positive(Config s, String key) {
    Duration duration = s.getDuration(key);
    if (duration.isZero() || duration.isNegative()) {
      throw invalid(
          "overseer.scheduling." + key, s.getValue(key), "must be longer than 0, got " + duration);
    }
    return duration;
  }

  private static ConfigValue origin(ConfigObject block, String key, ConfigValue fallback) {
    ConfigValue own = block.get(key);
    return own != null ? own : fallback;
  }

  /** "file:line: key: problem", as the master's other configuration errors. */
  static IllegalArgumentException invalid(String path, ConfigValue value, String problem) {
    String where = "";
    if (value != null && value.origin() != null) {
      int line = value.origin().lineNumber();
      where =
          (value.origin().filename() != null
                  ? value.origin().filename()
                  : value.origin().description())
              + (line > 0 && value.origin().filename() != null ? ":" + line : "")
              + ": ";
    }
    return new IllegalArgumentException(where + path + ": " + problem);
  }
}
