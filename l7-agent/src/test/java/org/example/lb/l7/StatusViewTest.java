package org.example.lb.l7;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class StatusViewTest {
  @Test
  void putsTheAgentsWordAndHaproxysStateSideBySide() {
    String json = """
        {"agent": {"node": "LB7-1", "flagFile": "/etc/lb/agent-check", "reply": "up ready 100% maxconn:0",
                   "problem": "", "watchers": 0},
         "servers": {
           "S3": {"agent": "up drain 100% maxconn:0", "draining": false, "pending": false, "lastError": "",
                  "haproxy": {"state": "RUNNING", "admin": "DRAIN", "weight": 100, "sessions": 2,
                              "status": "DRAIN (agent)", "check": "L7OK"}},
           "S5": {"agent": "unreachable: connect refused", "draining": false, "pending": true,
                  "lastError": "timeout", "haproxy": {"error": "socket gone"}}}}
        """;
    String text = StatusView.render(json);
    assertThat(text).startsWith("node LB7-1: agent-check up ready 100% maxconn:0 (/etc/lb/agent-check, 0 watchers)\n");
    assertThat(text).containsPattern("S3 +up drain 100% maxconn:0 +DRAIN \\(agent\\) +DRAIN +100 +2 +L7OK +applied");
    assertThat(text).containsPattern("S5 +unreachable: connect refused +\\? .*pending \\(error: timeout\\)");
    assertThat(text).contains("  ! HAProxy: socket gone");
  }

  @Test
  void showsTheFlagFileProblem() {
    String json = """
        {"agent": {"node": "S1", "flagFile": "/etc/lb/agent-check", "reply": "up ready 100% maxconn:0",
                   "problem": "line 1: \\"upp\\" (expected: a word)", "watchers": 3}}
        """;
    assertThat(StatusView.render(json)).contains("  ! line 1: \"upp\" (expected: a word)");
  }

  @Test
  void leavesNonJsonAsItIs() {
    assertThat(StatusView.render("not json")).isEqualTo("not json");
  }
}
