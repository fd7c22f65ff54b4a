package dev.robustlab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The oscillation summary against values worked out by hand. */
class OscillationTest {

    @Test
    void sixEpochsByHand() {
        // r = 0.50, 0.60, 0.55, 0.70, 0.60, 0.65: Δ = +0.10, −0.05, +0.15, −0.10, +0.05 (t = 2 … 6)
        // second half: t > ⌊6/2⌋ = 3, so t = 4, 5, 6: Δ = +0.15, −0.10, +0.05, mean 0.1/3
        // deviations 0.35/3, −0.4/3, 0.05/3; squares sum (0.1225 + 0.16 + 0.0025)/9 = 0.285/9; std = √(0.285/27)
        Oscillation o = Oscillation.of(List.of(0.50, 0.60, 0.55, 0.70, 0.60, 0.65));
        assertEquals(4, o.fromEpoch());
        assertEquals(3, o.changes());
        assertEquals(Math.sqrt(0.285 / 27), o.stdChange(), 1e-12);
        assertEquals(0.30 / 3, o.meanAbsChange(), 1e-12);
        assertEquals(0.10, o.lateDrop(), 1e-12);
        assertEquals(5, o.lateDropEpoch());
        assertEquals(0.10, o.largestDrop(), 1e-12);
        assertEquals(5, o.largestDropEpoch(), "the drop of 0.10 from epoch 4 to 5 beats the 0.05 of epoch 3");
    }

    @Test
    void anEarlyCollapseCountsOverAllEpochsButNotLate() {
        // Δ = −0.30 (t = 2), +0.40, −0.02, +0.01 (t = 5): second half t ≥ 3
        Oscillation o = Oscillation.of(List.of(0.60, 0.30, 0.70, 0.68, 0.69));
        assertEquals(3, o.fromEpoch());
        assertEquals(0.02, o.lateDrop(), 1e-12);
        assertEquals(4, o.lateDropEpoch());
        assertEquals(0.30, o.largestDrop(), 1e-12);
        assertEquals(2, o.largestDropEpoch());
    }

    @Test
    void aSteadyRiseHasNoDropAndAConstantChange() {
        Oscillation o = Oscillation.of(List.of(0.1, 0.2, 0.3, 0.4, 0.5));
        assertEquals(3, o.fromEpoch(), "second half of 5 epochs: t > 2");
        assertEquals(3, o.changes());
        assertEquals(0, o.stdChange(), 1e-12);
        assertEquals(0.1, o.meanAbsChange(), 1e-12);
        assertEquals(0, o.largestDrop());
        assertEquals(0, o.largestDropEpoch());
        assertEquals(0, o.lateDrop());
        assertEquals(0, o.lateDropEpoch());
    }

    @Test
    void shortRuns() {
        Oscillation one = Oscillation.of(List.of(0.7));
        assertEquals(0, one.changes());
        assertTrue(Double.isNaN(one.stdChange()) && Double.isNaN(one.meanAbsChange())
                && Double.isNaN(one.largestDrop()) && Double.isNaN(one.lateDrop()));
        Oscillation two = Oscillation.of(List.of(0.7, 0.4));
        assertEquals(2, two.fromEpoch());
        assertEquals(1, two.changes());
        assertEquals(0, two.stdChange(), 1e-12);
        assertEquals(0.3, two.meanAbsChange(), 1e-12);
        assertEquals(0.3, two.largestDrop(), 1e-12);
        assertEquals(2, two.largestDropEpoch());
        assertEquals(0.3, two.lateDrop(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Oscillation.of(List.of()));
    }
}
