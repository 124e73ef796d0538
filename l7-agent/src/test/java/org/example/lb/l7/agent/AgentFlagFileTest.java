package org.example.lb.l7.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.example.lb.common.metrics.Metrics;
import org.example.lb.l7.agent.AgentReply.Administrative;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The file-content rules, applied directly (the watching is covered by AgentCheckServerTest). */
class AgentFlagFileTest {
  private static final Logger LOG = Logger.getLogger(AgentFlagFile.class.getName());

  private final List<AgentReply> applied = new ArrayList<>();
  private final List<String> warnings = new ArrayList<>();
  private final Metrics metrics = new Metrics();
  private final Handler capture = new Handler() {
    @Override
    public void publish(LogRecord r) {
      if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
        warnings.add(r.getMessage());
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };
  private final AgentFlagFile file = new AgentFlagFile(Path.of("/etc/lb"), "agent-check", applied::add, metrics);

  @BeforeEach
  void captureWarnings() {
    LOG.addHandler(capture);
  }

  @AfterEach
  void release() {
    LOG.removeHandler(capture);
  }

  @Test
  void validContentIsPassedOn() {
    file.apply(Optional.of("drain\n"));
    assertThat(applied).containsExactly(AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN));
    assertThat(warnings).isEmpty();
  }

  @Test
  void missingFileMeansTheDefault() {
    file.apply(Optional.empty());
    assertThat(applied).containsExactly(AgentReply.DEFAULT);
  }

  @Test
  void invalidContentIsWarnedOnceNamingTheFileAndWhatWasExpected() {
    file.apply(Optional.of("drain"));
    file.apply(Optional.of("101%"));
    file.apply(Optional.of("101%")); // e.g. the same content seen again

    assertThat(applied).containsExactly(AgentReply.DEFAULT.withAdministrative(Administrative.DRAIN));
    assertThat(warnings).containsExactly(
        "/etc/lb/agent-check: line 1: \"101%\" (expected: a weight 0%-100%); keeping the last valid state");
    assertThat(metrics.scrape()).contains("lb_agent_flag_file_invalid_total 1\n");
    assertThat(file.problem()).contains("/etc/lb/agent-check: line 1: \"101%\" (expected: a weight 0%-100%)");
  }

  @Test
  void eachDistinctInvalidContentIsWarnedOnce() {
    file.apply(Optional.of("101%"));
    file.apply(Optional.of("up down"));
    file.apply(Optional.of("up down"));
    file.apply(Optional.of("101%"));
    assertThat(warnings).hasSize(3);
    assertThat(metrics.scrape()).contains("lb_agent_flag_file_invalid_total 3\n");
    assertThat(applied).isEmpty();
  }

  @Test
  void sameInvalidContentAfterAValidOneIsWarnedAgain() {
    file.apply(Optional.of(""));
    file.apply(Optional.of("up"));
    file.apply(Optional.of(""));
    assertThat(warnings).hasSize(2);
    assertThat(file.problem()).isPresent();
  }

  @Test
  void fileNameMustBeAPlainName() {
    assertThatThrownBy(() -> new AgentFlagFile(Path.of("/etc/lb"), "../x", r -> {}, new Metrics()))
        .hasMessageStartingWith("name: \"../x\"");
  }
}
