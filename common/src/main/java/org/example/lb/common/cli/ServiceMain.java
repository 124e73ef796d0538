package org.example.lb.common.cli;

import java.io.IOException;
import org.example.lb.common.config.ConfigException;
import org.example.lb.common.metrics.AdminClient;
import picocli.CommandLine;

/**
 * Runs a picocli command with the project's exit-code contract: 0 success, 1 runtime failure,
 * 2 user error (bad arguments or config), each reported as one line on stderr, never a stack trace
 * (set the environment variable {@code LB_DEBUG} to also print the stack trace of a runtime failure).
 */
public final class ServiceMain {
  /** Exit code for a user's mistake in arguments or configuration. */
  public static final int USAGE = 2;

  private ServiceMain() {}

  public static int execute(Object command, String... args) {
    CommandLine cl = new CommandLine(command);
    cl.setCaseInsensitiveEnumValuesAllowed(true);
    cl.setParameterExceptionHandler((ex, a) -> {
      ex.getCommandLine().getErr().println("error: " + ex.getMessage() + " (see --help)");
      return USAGE;
    });
    cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
      Throwable t = ex;
      while (t != null && !(t instanceof ConfigException) && !(t instanceof UserError)) {
        t = t.getCause();
      }
      if (t != null) {
        commandLine.getErr().println("error: " + t.getMessage());
        return USAGE;
      }
      // A runtime failure (port in use, daemon unreachable): one line; the stack trace only when debugging.
      commandLine.getErr().println("error: " + (ex.getMessage() == null ? ex.toString() : ex.getMessage()));
      if (System.getenv("LB_DEBUG") != null) {
        ex.printStackTrace(commandLine.getErr());
      }
      return 1;
    });
    return cl.execute(args);
  }

  /**
   * Serves {@code service} until SIGTERM or SIGINT has closed it (SIGHUP reloads it); returns exit code 0.
   */
  public static int serve(RunningService service) throws InterruptedException {
    try (service) {
      ProcessSignals.onTerminate(service::close);
      ProcessSignals.onHangup(service::reload);
      service.awaitShutdown();
    }
    return 0;
  }

  /** Renders a service's {@code /status} JSON for people. */
  @FunctionalInterface
  public interface StatusRenderer {
    String render(String json) throws IOException;
  }

  /**
   * The {@code status} command of a service: prints the JSON status its admin endpoint on 127.0.0.1:{@code adminPort}
   * serves, raw or rendered; exit 1 with one line if nothing answers.
   */
  public static int printStatus(String service, int adminPort, boolean json, StatusRenderer renderer)
      throws IOException {
    return printView(service, "status", adminPort, json, renderer);
  }

  /**
   * A command that prints one JSON view of a running service ({@code /status}, {@code /states}...) from its admin
   * endpoint on 127.0.0.1:{@code adminPort}, raw or rendered; exit 1 with one line if nothing answers.
   *
   * @param view the command's name and the view's path without its slash
   */
  public static int printView(String service, String view, int adminPort, boolean json, StatusRenderer renderer)
      throws IOException {
    String body;
    try {
      body = AdminClient.get(adminPort, "/" + view);
    } catch (IOException e) {
      System.err.println("error: " + service + " " + view + ": " + e.getMessage());
      return 1;
    }
    String text = json ? body : renderer.render(body);
    System.out.print(text.endsWith("\n") ? text : text + "\n");
    return 0;
  }

  /** Runs and exits with the command's code. */
  public static void exit(Object command, String... args) {
    System.exit(execute(command, args));
  }

  /** A mistake of the user's that is not about a config file (a bad argument value, a wrong node name). */
  public static final class UserError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserError(String message) {
      super(message, null, false, false);
    }
  }
}
