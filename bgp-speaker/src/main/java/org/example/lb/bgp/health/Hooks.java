package org.example.lb.bgp.health;

import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.example.lb.common.config.Validation;

/**
 * Shell commands run on state changes, as ExaBGP healthcheck's {@code --execute}, {@code --up-execute},
 * {@code --down-execute} and {@code --disabled-execute}. Each runs as {@code /bin/sh -c command} with the
 * environment of the process plus {@code STATE=<new state>} ({@code UP}, {@code FALLING}...). For one change the
 * state's own commands run first, then {@link #execute}, one after the other; changes are handled in order. They
 * never block the state machine; each is killed (with its children) after {@link #timeout}, and its exit status and
 * the tail of its output are logged. As in ExaBGP, no hook runs on {@link HealthState#EXIT}.
 *
 * @param execute run on every state change (INIT, DISABLED, RISING, FALLING, UP, DOWN); null: none
 * @param upExecute run when the state becomes UP; null: none
 * @param downExecute run when the state becomes DOWN; null: none
 * @param disabledExecute run when the state becomes DISABLED; null: none
 * @param timeout how long each command may run; null: 10s
 */
public record Hooks(List<String> execute, List<String> upExecute, List<String> downExecute,
    List<String> disabledExecute, Duration timeout) {
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(10);

  public Hooks {
    execute = commands("execute", execute);
    upExecute = commands("upExecute", upExecute);
    downExecute = commands("downExecute", downExecute);
    disabledExecute = commands("disabledExecute", disabledExecute);
    timeout = timeout == null ? DEFAULT_TIMEOUT : Validation.positive("timeout", timeout);
  }

  /** No hooks. */
  public static Hooks none() {
    return new Hooks(null, null, null, null, null);
  }

  /** The commands for a change to {@code state}, in the order they run: the state's own, then {@link #execute}. */
  public List<String> commandsFor(HealthState state) {
    List<String> own = switch (state) {
      case UP -> upExecute;
      case DOWN -> downExecute;
      case DISABLED -> disabledExecute;
      case EXIT -> List.of();
      case INIT, RISING, FALLING -> List.of();
    };
    if (state == HealthState.EXIT) {
      return List.of();
    }
    return Stream.concat(own.stream(), execute.stream()).toList();
  }

  private static List<String> commands(String field, List<String> commands) {
    if (commands == null) {
      return List.of();
    }
    for (int i = 0; i < commands.size(); i++) {
      Validation.nonBlank(field + "[" + i + "]", commands.get(i));
    }
    return List.copyOf(commands);
  }
}
