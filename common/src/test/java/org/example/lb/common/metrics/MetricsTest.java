package org.example.lb.common.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;

class MetricsTest {
  @Test
  void rendersPrometheusTextFormat() {
    Metrics m = new Metrics();
    Metrics.Counter c = m.counter("lb_things_total", "Things seen");
    c.increment();
    c.add(2);
    m.gauge("lb_ratio", "A ratio", () -> 0.5);
    m.family("lb_server_up", "1 if up", "gauge", out -> {
      out.sample("lb_server_up", List.of("server", "S1"), 1);
      out.sample("lb_server_up", List.of("server", "we\"ird\\"), 0);
    });
    assertThat(m.scrape()).isEqualTo("""
        # HELP lb_things_total Things seen
        # TYPE lb_things_total counter
        lb_things_total 3
        # HELP lb_ratio A ratio
        # TYPE lb_ratio gauge
        lb_ratio 0.5
        # HELP lb_server_up 1 if up
        # TYPE lb_server_up gauge
        lb_server_up{server="S1"} 1
        lb_server_up{server="we\\"ird\\\\"} 0
        """);
  }

  @Test
  void adminServerServesMetricsAndStatusOnLoopbackOnly() throws Exception {
    Metrics m = new Metrics();
    m.counter("lb_x_total", "x").increment();
    try (AdminServer admin = AdminServer.start(0, m, () -> "{\"ok\":true}");
        HttpClient http = HttpClient.newHttpClient()) {
      String base = "http://127.0.0.1:" + admin.port();
      HttpResponse<String> metrics = http.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(metrics.statusCode()).isEqualTo(200);
      assertThat(metrics.headers().firstValue("Content-Type")).hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
      assertThat(metrics.body()).contains("lb_x_total 1");
      HttpResponse<String> status = http.send(HttpRequest.newBuilder(URI.create(base + "/status")).build(),
          HttpResponse.BodyHandlers.ofString());
      assertThat(status.body()).isEqualTo("{\"ok\":true}");
    }
  }
}
