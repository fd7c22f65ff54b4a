package dev.robustlab.ml.attack;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** APGD's step-size schedule: checkpoints against the paper's p_0 = 0, p_1 = 0.22, p_{j+1} = p_j + max(p_j − p_{j−1} − 0.03, 0.06). */
class ApgdCheckpointsTest {

    @Test
    void hundredIterationsFollowThePapersSchedule() {
        // p_0 = 0
        // p_1 = 0.22
        // p_2 = 0.22 + max(0.22 − 0    − 0.03, 0.06) = 0.22 + 0.19 = 0.41
        // p_3 = 0.41 + max(0.41 − 0.22 − 0.03, 0.06) = 0.41 + 0.16 = 0.57
        // p_4 = 0.57 + max(0.57 − 0.41 − 0.03, 0.06) = 0.57 + 0.13 = 0.70
        // p_5 = 0.70 + max(0.70 − 0.57 − 0.03, 0.06) = 0.70 + 0.10 = 0.80
        // p_6 = 0.80 + max(0.80 − 0.70 − 0.03, 0.06) = 0.80 + 0.07 = 0.87
        // p_7 = 0.87 + max(0.87 − 0.80 − 0.03, 0.06) = 0.87 + 0.06 = 0.93   (0.04 < 0.06)
        // p_8 = 0.93 + 0.06 = 0.99
        // p_9 = 1.05 > 1: no more checkpoints. w_j = ⌈p_j · 100⌉:
        assertArrayEquals(new int[] {0, 22, 41, 57, 70, 80, 87, 93, 99}, Apgd.checkpoints(100));
    }

    @Test
    void scalesWithTheIterations() {
        // the same p_j times 1000; p_8 = 0.99 → 990 and p_9 = 1.05 is past the end
        assertArrayEquals(new int[] {0, 220, 410, 570, 700, 800, 870, 930, 990}, Apgd.checkpoints(1000));
        // 50 iterations, in whole iterations as the reference code: intervals ⌊11⌋ = 11, then 11 − ⌊1.5⌋ = 10, 9, 8,
        // 7, 6, 5, then at least ⌊3⌋ = 3: 11, 21, 30, 38, 45, 51 > 50 stops
        assertArrayEquals(new int[] {0, 11, 21, 30, 38, 45}, Apgd.checkpoints(50));
        // few iterations: every interval is at least one iteration
        assertArrayEquals(new int[] {0, 1, 2, 3}, Apgd.checkpoints(3));
        assertThrows(IllegalArgumentException.class, () -> Apgd.checkpoints(0));
    }

    @Test
    void countsTheStepsThatRaisedTheLoss() {
        // one example; loss at x⁰ … x⁵: 1, 2, 2, 3, 1, 4: steps 0→1, 2→3 and 4→5 raise it (2→2 does not)
        float[][] lossAfter = {{1}, {2}, {2}, {3}, {1}, {4}};
        assertEquals(3, Apgd.increases(lossAfter, 0, 0, 5));
        assertEquals(2, Apgd.increases(lossAfter, 0, 1, 5), "steps 1 … 4 only");
    }

    @Test
    void halvesOnOscillationOrOnAStallAfterAnUnhalvedCheckpoint() {
        // condition 1: rose in 16 of 22 steps, 16 ≤ 0.75·22 = 16.5: halve; 17 of 22: keep
        assertTrue(Apgd.halves(16, 22, 0.75, true, 0f, 1f));
        assertFalse(Apgd.halves(17, 22, 0.75, true, 0f, 1f));
        // condition 2 needs both: not halved last time and no better best loss since
        assertTrue(Apgd.halves(17, 22, 0.75, false, 1f, 1f));
        assertFalse(Apgd.halves(17, 22, 0.75, false, 1f, 1.5f), "improved since the last checkpoint");
        assertFalse(Apgd.halves(17, 22, 0.75, true, 1f, 1f), "halved at the last checkpoint");
    }
}
