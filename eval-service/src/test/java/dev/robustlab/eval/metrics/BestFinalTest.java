package dev.robustlab.eval.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class BestFinalTest {

    private static EpochMetrics row(int epoch, double clean, Double pgd, Double cw, boolean complete) {
        Map<String, Double> robust = new LinkedHashMap<>();
        robust.put("pgd-20", pgd);
        robust.put("cw-inf", cw);
        return new EpochMetrics(epoch, clean, robust, complete, 0, 0);
    }

    @Test
    void bestByPgd20FinalIsTheLastCompleteEpochDiffIsBestMinusFinal() {
        // Shaped like PGD-AT in PIAT Table I: robustness peaks, then overfits while clean accuracy keeps rising.
        List<EpochMetrics> epochs = List.of(
                row(1, 0.70, 0.40, 0.38, true),
                row(2, 0.80, 0.50, 0.47, true),
                row(3, 0.84, 0.48, 0.46, true),
                row(4, 0.86, 0.45, 0.44, true),
                row(5, 0.90, null, null, false));
        BestFinal bf = BestFinal.of(epochs, "pgd-20").orElseThrow();
        assertEquals(2, bf.best().epoch());
        assertEquals(4, bf.last().epoch());
        assertEquals(0.80 - 0.86, bf.diff().get("clean"), 1e-12);
        assertEquals(0.50 - 0.45, bf.diff().get("pgd-20"), 1e-12);
        assertEquals(0.47 - 0.44, bf.diff().get("cw-inf"), 1e-12);
        assertEquals(List.of("clean", "pgd-20", "cw-inf"), List.copyOf(bf.diff().keySet()));
    }

    @Test
    void aTieGoesToTheEarlierEpoch() {
        BestFinal bf = BestFinal.of(List.of(row(3, 0.8, 0.5, 0.4, true), row(1, 0.7, 0.5, 0.3, true),
                row(2, 0.9, 0.5, 0.2, true)), "pgd-20").orElseThrow();
        assertEquals(1, bf.best().epoch());
        assertEquals(3, bf.last().epoch());
    }

    @Test
    void incompleteEpochsTakeNoPart() {
        BestFinal bf = BestFinal.of(List.of(row(1, 0.7, 0.3, 0.3, true), row(2, 0.8, 0.9, null, false)),
                "pgd-20").orElseThrow();
        assertEquals(1, bf.best().epoch());
        assertEquals(1, bf.last().epoch());
        assertEquals(0.0, bf.diff().get("pgd-20"));
        assertTrue(BestFinal.of(List.of(row(1, 0.7, 0.3, null, false)), "pgd-20").isEmpty());
    }

    @Test
    void anotherSelectionAttackWhenPgd20IsNotMeasured() {
        assertEquals("pgd-20", RunMetrics.selectionAttack(List.of("cw-inf", "pgd-20")));
        assertEquals("cw-inf", RunMetrics.selectionAttack(List.of("cw-inf")));
    }
}
