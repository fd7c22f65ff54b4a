package dev.robustlab.gateway.intake;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.robustlab.contracts.spec.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;

class RunRequestReaderTest {

    private static List<String> fields(String body) {
        return RunRequestReader.read(body).errors().stream().map(FieldError::field).toList();
    }

    @Test
    void aMinimalRequestGetsEveryDefault() {
        RunRequestReader.Result r = RunRequestReader.read("{\"dataset\": {\"name\": \"toy-circles\"}}");
        assertTrue(r.valid(), r.errors().toString());
        assertEquals(20, r.spec().epochs());
        assertEquals(List.of("pgd-20", "cw-inf"), r.spec().evaluation().attacks());
        assertEquals("", r.spec().name());
    }

    @Test
    void unknownFieldsWrongTypesAndInvalidValuesAreAllNamed() {
        String body = """
                {"name": 7,
                 "dataset": {"name": "toy-circles", "size": 10, "testSize": "100"},
                 "epochs": 0,
                 "batchsize": 64,
                 "training": {"method": "pgd-at", "piat": {"enabled": "yes"}},
                 "optimizer": {"learningRate": -1},
                 "lrSchedule": {"type": "piecewise-linear", "knots": [{"epoch": "2", "learningRate": 0.1}]},
                 "threatModel": {"epsilon": 1.5, "steps": 2.5},
                 "evaluation": {"attacks": ["pgd-20", 3, "fab"], "shardSize": 0},
                 "seed": 1.5}""";
        assertEquals(List.of("name", "dataset.size", "dataset.testSize", "batchsize", "training.piat.enabled",
                "lrSchedule.knots[0].epoch", "threatModel.steps", "evaluation.attacks[1]", "seed",
                "epochs", "optimizer.learningRate", "threatModel.epsilon", "evaluation.attacks[2]",
                "evaluation.shardSize"), fields(body));
    }

    @Test
    void reasonsSayWhatWasExpected() {
        RunRequestReader.Result r = RunRequestReader.read(
                "{\"dataset\": {\"name\": \"toy-circles\"}, \"epochs\": \"3\", \"epochz\": 3}");
        assertEquals(List.of(
                new FieldError("epochs", "must be a whole number (32-bit), got a string \"3\""),
                new FieldError("epochz", "unknown field; a run spec has [name, dataset, model, training, epochs, "
                        + "batchSize, optimizer, lrSchedule, threatModel, evaluation, seed]")), r.errors());
        assertEquals("the run spec has 2 problems", r.message());
        assertNull(r.spec());
    }

    @Test
    void aFieldReportedForItsTypeIsNotReportedAgainByTheValidator() {
        assertEquals(List.of("dataset"), fields("{\"dataset\": \"toy-circles\"}"));
        assertEquals(List.of("dataset.name"), fields("{\"dataset\": {\"name\": 5}}"));
    }

    @Test
    void anImageRunWithEveryTrainingOptionIsRead() {
        RunRequestReader.Result r = RunRequestReader.read("""
                {"dataset": {"name": "cifar10"},
                 "model": {"architecture": "wrn", "depth": 28},
                 "training": {"method": "mart", "parameters": {"beta": 5},
                              "piat": {"enabled": true},
                              "weightPerturbation": {"type": "awp", "gamma": 0.005},
                              "augmentation": {"horizontalFlip": false}}}""");
        assertTrue(r.valid(), r.errors().toString());
        assertEquals("wrn(depth=28,width=10,normalization=cifar10)", r.spec().model().describe());
        assertEquals(java.util.Map.of("beta", 5.0), r.spec().training().parameters());
        assertEquals(0.005, r.spec().training().weightPerturbation().gamma());
        assertEquals(1, r.spec().training().weightPerturbation().steps());
        assertEquals(Boolean.TRUE, r.spec().training().augmentation().randomCrop());
        assertEquals(Boolean.FALSE, r.spec().training().augmentation().horizontalFlip());
        assertEquals(8.0 / 255, r.spec().threatModel().epsilon());
    }

    @Test
    void thePiatResnetExampleOfTheApiDocsIsValid() {
        RunRequestReader.Result r = RunRequestReader.read("""
                {"dataset": {"name": "cifar10"}, "model": {"architecture": "resnet18"}, "epochs": 120,
                 "training": {"method": "nmse", "parameters": {"mu": 4}, "piat": {"enabled": true}},
                 "optimizer": {"learningRate": 0.01, "momentum": 0.9, "weightDecay": 5e-4},
                 "lrSchedule": {"type": "piecewise-linear", "knots": [{"epoch": 60, "learningRate": 0.01},
                                {"epoch": 90, "learningRate": 0.001}, {"epoch": 120, "learningRate": 0.0001}]}}""");
        assertTrue(r.valid(), r.errors().toString());
        assertEquals(java.util.Map.of("mu", 4.0, "ce_on_clean", 0.0), r.spec().training().parameters());
        assertEquals(0.0055, r.spec().lrSchedule().rateAt(75, 0.01), 1e-15);
    }

    @Test
    void methodParametersAreCheckedByTypeAndByName() {
        RunRequestReader.Result r = RunRequestReader.read("""
                {"dataset": {"name": "cifar10"}, "model": {"architecture": "resnet18"},
                 "training": {"method": "trades", "parameters": {"beta": "six", "gamma": 1, "lambda": null}}}""");
        assertEquals(List.of(
                new FieldError("training.parameters.beta", "must be a number, got a string \"six\""),
                new FieldError("training.parameters.gamma", "unknown parameter of 'trades'; it takes [beta]"),
                new FieldError("training.parameters.lambda", "unknown parameter of 'trades'; it takes [beta]")),
                r.errors());
        assertEquals(List.of("training.parameters"), fields("{\"dataset\": {\"name\": \"toy-circles\"}, "
                + "\"training\": {\"parameters\": [1, 2]}}"));
    }

    @Test
    void a32By32ModelOnFashionMnistIsRefused() {
        RunRequestReader.Result r = RunRequestReader.read(
                "{\"dataset\": {\"name\": \"fashion-mnist\"}, \"model\": {\"architecture\": \"resnet18\"}}");
        assertEquals(List.of("model.architecture"), r.errors().stream().map(FieldError::field).toList());
        assertTrue(r.errors().get(0).reason().contains("3×32×32"), r.errors().get(0).reason());
    }

    @Test
    void aMissingDatasetIsNamed() {
        assertEquals(List.of("dataset.name"), fields("{}"));
    }

    @Test
    void nullMeansDefault() {
        assertTrue(RunRequestReader.read("{\"dataset\": {\"name\": \"toy-circles\"}, \"epochs\": null, "
                + "\"evaluation\": null}").valid());
    }

    @Test
    void notJsonOrNotAnObject() {
        RunRequestReader.Result r = RunRequestReader.read("{epochs: 3");
        assertTrue(r.message().startsWith("the request body is not JSON"), r.message());
        assertEquals(List.of(), r.errors());
        assertTrue(RunRequestReader.read("[1, 2]").message().contains("JSON object"));
        assertTrue(RunRequestReader.read("  ").message().contains("empty"));
    }
}
