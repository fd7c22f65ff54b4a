package dev.robustlab.cli.reproduce;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Best by PGD-20 (earlier on a tie), final = last, diff = best − final, attacks measured later merged in. */
class BestFinalTest {

    private static EpochRecord epoch(int epoch, double clean, double pgd) {
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("clean", clean);
        metrics.put("pgd-20", pgd);
        return new EpochRecord(epoch, 1.0, 0.5, null, metrics, 1, 1);
    }

    @Test
    void theEarlierOfTiedBestEpochsAndTheLastAsFinal() {
        List<EpochRecord> epochs = List.of(epoch(1, 0.5, 0.3), epoch(2, 0.8, 0.6), epoch(3, 0.9, 0.6),
                epoch(4, 0.95, 0.55));
        BestFinal bf = BestFinal.of(epochs, "pgd-20", Map.of(2, Map.of("autoattack", 0.5),
                4, Map.of("autoattack", 0.45)));
        assertEquals("pgd-20", bf.selectedBy());
        assertEquals(2, bf.best().epoch());
        assertEquals(4, bf.last().epoch());
        assertEquals(Map.of("clean", 0.8, "pgd-20", 0.6, "autoattack", 0.5), bf.best().metrics());
        assertEquals(0.8 - 0.95, bf.diff().get("clean"), 1e-15);
        assertEquals(0.6 - 0.55, bf.diff().get("pgd-20"), 1e-15);
        assertEquals(0.5 - 0.45, bf.diff().get("autoattack"), 1e-15);
        assertEquals(List.of("clean", "pgd-20", "autoattack"), List.copyOf(bf.diff().keySet()));
    }

    @Test
    void bestMayBeFinal() {
        BestFinal bf = BestFinal.of(List.of(epoch(1, 0.5, 0.3), epoch(2, 0.6, 0.4)), "pgd-20",
                Map.of(2, Map.of("autoattack", 0.35)));
        assertEquals(2, bf.best().epoch());
        assertEquals(bf.best(), bf.last());
        assertEquals(Map.of("clean", 0.0, "pgd-20", 0.0, "autoattack", 0.0), bf.diff());
    }

    @Test
    void refusesWhatItCannotChooseFrom() {
        assertThrows(IllegalArgumentException.class, () -> BestFinal.of(List.of(), "pgd-20", Map.of()));
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> BestFinal.of(List.of(epoch(1, 0.5, 0.3)), "cw-inf", Map.of()));
        assertEquals("epoch 1 has no metric 'cw-inf'; it has [clean, pgd-20]", missing.getMessage());
    }
}
