package dev.robustlab.eval.merging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.event.RobustnessMeasured;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class ResultCheckTest {

    private static RobustnessMeasured result(int shard, int count, int examples, int correct, int robust,
                                             List<Boolean> flags) {
        return new RobustnessMeasured("r/1/pgd-20/" + shard, "r", 1, "pgd-20", shard, count, 0, examples, correct,
                robust, flags, 0.1, "w");
    }

    @Test
    void aConsistentResultPasses() {
        assertEquals(List.of(), ResultCheck.problems(result(0, 2, 3, 2, 1, List.of(true, false, false))));
    }

    @Test
    void inconsistentCountsAreRefused() {
        assertTrue(ResultCheck.problems(result(0, 2, 3, 1, 2, List.of(true, true, false))).get(0)
                .contains("robust ≤ correctClean"));
        assertTrue(ResultCheck.problems(result(0, 2, 3, 2, 1, List.of(true, false))).get(0)
                .contains("one flag per example"));
        assertTrue(ResultCheck.problems(result(0, 2, 3, 2, 1, List.of(true, true, false))).get(0)
                .contains("robustFlags has 2"));
        assertTrue(ResultCheck.problems(result(0, 2, 3, 2, 1, Arrays.asList(true, null, false))).get(0)
                .contains("null"));
        assertTrue(ResultCheck.problems(result(2, 2, 3, 2, 1, List.of(true, false, false))).get(0)
                .contains("is not a shard"));
    }
}
