package dev.robustlab.cli.reproduce;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code robustlab reproduce}: the studies of the papers, each a subcommand. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
        header = "Reproduces the papers' studies on this machine (no cluster needed).",
        description = "Each study trains several methods from one seed in this process, measures every epoch's "
                + "checkpoint on the test split and prints the per-epoch accuracies and the Best / Final / Diff "
                + "table.",
        subcommands = {ToyStudyCommand.class, FashionMnistStudyCommand.class})
public final class ReproduceCommand implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
