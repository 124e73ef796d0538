package org.example.lb.l4.packet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class VerdictTest {
    @Test
    void knownCodesRoundTripToTheirConstants() {
        for (Verdict v : Verdict.values()) {
            assertThat(Verdict.valueOf(v.code())).isSameAs(v);
            assertThat(v.code()).isBetween(0, Verdict.LIMIT - 1);
        }
        assertThat(Verdict.valueOf(7)).isSameAs(Verdict.FRAGMENT).hasToString("FRAGMENT");
        assertThat(Verdict.OK.isOk()).isTrue();
        assertThat(Verdict.TRUNCATED.isOk()).isFalse();
    }

    @Test
    void unknownCodesRoundTripWithAName() {
        Verdict unknown = Verdict.valueOf(250);

        assertThat(unknown.code()).isEqualTo(250);
        assertThat(unknown.name()).isEqualTo("UNKNOWN(250)");
        assertThat(unknown).isEqualTo(Verdict.valueOf(250)).isNotEqualTo(Verdict.OK);
    }
}
