package org.example.lb.l4.packet;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ChecksumsTest {
    @Test
    void computesTheIpv4HeaderChecksumIgnoringTheStoredField() {
        // Widely used example header: 192.168.0.1 -> 192.168.0.199, UDP, checksum 0xb861.
        ByteBuffer header = ByteBuffer.wrap(TestPackets.hex("4500 0073 0000 4000 4011 ffff c0a8 0001 c0a8 00c7"));

        assertThat(Checksums.ipv4Header(header, 0, 20)).isEqualTo(0xb861);
        assertThat(Checksums.ipv4HeaderValid(header, 0, 20)).isFalse();
        header.put(10, (byte) 0xb8).put(11, (byte) 0x61);
        assertThat(Checksums.ipv4HeaderValid(header, 0, 20)).isTrue();
    }

    @Test
    void incrementalUpdateMatchesRecomputation() {
        Random random = new Random(1624);
        for (int i = 0; i < 10_000; i++) {
            byte[] header = new byte[20];
            random.nextBytes(header);
            ByteBuffer buf = ByteBuffer.wrap(header);
            int checksum = Checksums.ipv4Header(buf, 0, 20);
            NetworkOrder.put16(buf, 10, checksum);
            int word = random.nextInt(10) * 2;
            if (word == 10) {
                continue;
            }
            int oldWord = NetworkOrder.u16(buf, word);
            int newWord = random.nextInt(0x10000);
            NetworkOrder.put16(buf, word, newWord);

            int updated = Checksums.update16(checksum, oldWord, newWord);
            NetworkOrder.put16(buf, 10, updated);
            assertThat(Checksums.ipv4HeaderValid(buf, 0, 20)).as("iteration %d", i).isTrue();
            assertThat(TestPackets.internetChecksum(header, 0, 20)).isZero();
        }
    }

    @Test
    void sumPadsAnOddTailWithZero() {
        ByteBuffer buf = ByteBuffer.wrap(new byte[] {0x01, 0x02, 0x03});

        assertThat(Checksums.sum(buf, 0, 3, 0)).isEqualTo(0x0102 + 0x0300);
    }
}
