package dev.robustlab.ml.attack;

import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.ml.attack.autoattack.AutoAttack;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every evaluation attack id of the contracts maps onto an attack of this library. */
class AttacksTest {

    @Test
    void everyKnownIdBuildsItsAttack() {
        for (String id : EvaluationPlan.KNOWN_ATTACKS) {
            Attack attack = Attacks.evaluation(id, "linf", 0.1, 0.025);
            if (EvaluationPlan.AUTOATTACK.equals(id)) {
                AutoAttack autoAttack = assertInstanceOf(AutoAttack.class, attack);
                assertEquals(AutoAttack.STANDARD, autoAttack.version());
                assertEquals(List.of("fab-t not implemented, skipped"), autoAttack.skipped());
            } else {
                assertEquals(id, attack.id());
            }
        }
        assertInstanceOf(ApgdTargeted.class, Attacks.evaluation("apgd-t", "linf", 0.1, 0.025));
        assertInstanceOf(Square.class, Attacks.evaluation("square", "linf", 0.1, 0.025));
    }

    @Test
    void anUnknownIdIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Attacks.evaluation("fab-t", "linf", 0.1, 0.025));
        assertTrue(e.getMessage().contains("unknown attack 'fab-t'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Attacks.evaluation(null, "linf", 0.1, 0.025));
        assertThrows(IllegalArgumentException.class, () -> Attacks.evaluation("square", "linf", 0.1, 0));
    }
}
