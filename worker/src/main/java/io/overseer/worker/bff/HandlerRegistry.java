package io.overseer.worker.bff;

import com.typesafe.config.ConfigException;
import io.overseer.api.bff.BffHandler;
import java.util.HashMap;
import java.util.Map;
import java.util.ServiceLoader;

/** The {@link BffHandler}s on the class path by name, loaded once when the engine starts. */
final class HandlerRegistry {
  private final Map<String, BffHandler> byName;

  private HandlerRegistry(Map<String, BffHandler> byName) {
    this.byName = byName;
  }

  static HandlerRegistry load(ClassLoader loader) {
    Map<String, BffHandler> byName = new HashMap<>();
    for (BffHandler handler : ServiceLoader.load(BffHandler.class, loader)) {
      BffHandler previous = byName.putIfAbsent(handler.name(), handler);
      if (previous != null) {
        // Two jars claiming one name would make the route's behaviour depend on class path order.
        throw new ConfigException.BadValue(
            "overseer.bff.routes",
            "handler name '"
                + handler.name()
                + "' is claimed by both "
                + previous.getClass().getName()
                + " and "
                + handler.getClass().getName());
      }
    }
    return new HandlerRegistry(Map.copyOf(byName));
  }

  /**
   * The handler a route names; unknown names stop the engine at start, not at the first request.
   */
  BffHandler require(RouteDefinition route) {
    BffHandler handler = byName.get(route.handler());
    if (handler == null) {
      throw new ConfigException.BadValue(
          "overseer.bff.routes." + route.name() + ".handler",
          "no BffHandler named '"
              + route.handler()
              + "' on the class path; known: "
              + byName.keySet());
    }
    return handler;
  }
}
