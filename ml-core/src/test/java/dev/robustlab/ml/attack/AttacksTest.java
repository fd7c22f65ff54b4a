package dev.robustlab.ml.attack;

import dev.robustlab.contracts.spec.EvaluationPlan;
import dev.robustlab.ml.attack.autoattack.AutoAttack;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every evaluation attack id of the contracts maps onto an attack of this library, in each norm it runs in. */
class AttacksTest {

    @Test
    void everyKnownIdBuildsItsAttackInEachOfItsNorms() {
        for (String id : EvaluationPlan.KNOWN_ATTACKS) {
            assertTrue(Attacks.NORMS.containsAll(EvaluationPlan.norms(id)), id);
            for (String norm : EvaluationPlan.norms(id)) {
                Attack attack = Attacks.evaluation(id, norm, 0.1, 0.025);
                if (EvaluationPlan.AUTOATTACK.equals(id)) {
                    AutoAttack autoAttack = assertInstanceOf(AutoAttack.class, attack);
                    assertEquals(AutoAttack.STANDARD, autoAttack.version());
                    assertEquals(List.of("apgd-ce", "apgd-t", "fab-t", "square"), autoAttack.componentIds());
                    assertEquals(List.of(), autoAttack.skipped(), "nothing is missing any more");
                } else if (EvaluationPlan.AUTOATTACK_PLUS.equals(id)) {
                    AutoAttack autoAttack = assertInstanceOf(AutoAttack.class, attack);
                    assertEquals(AutoAttack.PLUS, autoAttack.version());
                    assertEquals(List.of("apgd-ce", "apgd-dlr", "fab", "square", "apgd-t", "fab-t"),
                            autoAttack.componentIds());
                } else {
                    assertEquals(id, attack.id());
                }
            }
        }
        assertInstanceOf(ApgdTargeted.class, Attacks.evaluation("apgd-t", "linf", 0.1, 0.025));
        assertEquals(Norm.L2, assertInstanceOf(Square.class, Attacks.evaluation("square", "l2", 0.5, 0.1)).norm());
        assertEquals(Norm.L2, assertInstanceOf(Pgd.class, Attacks.evaluation("pgd-20", "l2", 0.5, 0.1)).norm());
        assertEquals(Norm.L2, assertInstanceOf(Apgd.class, Attacks.evaluation("apgd-ce", "l2", 0.5, 0.1)).norm());
        Fab fabT = assertInstanceOf(Fab.class, Attacks.evaluation("fab-t", "l2", 0.5, 0.1));
        assertTrue(fabT.targeted());
        assertEquals(Norm.L2, fabT.norm());
        assertEquals(Norm.LINF, assertInstanceOf(Fab.class, Attacks.evaluation("fab-t", "linf", 0.1, 0.1)).norm());
        assertInstanceOf(CwL2.class, Attacks.evaluation("cw-l2", "l2", 0.5, 0.1));
        // an l2 radius may exceed 1, an l∞ one may not
        Attacks.evaluation("autoattack", "l2", 1.5, 0.1);
        assertThrows(IllegalArgumentException.class, () -> Attacks.evaluation("autoattack", "linf", 1.5, 0.1));
    }

    @Test
    void attacksOfOneNormAreRefusedInTheOtherWithTheReason() {
        for (String id : List.of("cw-inf", "fgsm", "i-fgsm", "mi-fgsm")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> Attacks.evaluation(id, "l2", 0.1, 0.025));
            assertEquals("attack '" + id + "' runs in [linf] only, not in l2; choose that norm or another attack",
                    e.getMessage());
        }
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Attacks.evaluation("cw-l2", "linf", 0.1, 0.025));
        assertEquals("attack 'cw-l2' runs in [l2] only, not in linf; choose that norm or another attack",
                e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Attacks.evaluation("pgd-20", "l1", 0.1, 0.025));
        assertEquals("unknown norm 'l1'; known: [linf, l2]", e.getMessage());
    }

    @Test
    void anUnknownIdIsRefusedByName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Attacks.evaluation("fab", "linf", 0.1, 0.025));
        assertTrue(e.getMessage().contains("unknown attack 'fab'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Attacks.evaluation(null, "linf", 0.1, 0.025));
        assertThrows(IllegalArgumentException.class, () -> Attacks.evaluation("square", "linf", 0.1, 0));
    }
}
