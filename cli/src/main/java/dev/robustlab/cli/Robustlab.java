package dev.robustlab.cli;

import dev.robustlab.cli.demo.DemoCommand;
import dev.robustlab.cli.evaluate.EvaluateCommand;
import dev.robustlab.cli.reproduce.ReproduceCommand;
import dev.robustlab.cli.train.TrainCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of {@code ./robustlab}. */
@Command(name = "robustlab", mixinStandardHelpOptions = true, version = "robustlab 0.1.0",
        description = "Adversarial training and per-epoch robustness evaluation, as a message-driven cluster; "
                + "robustness evaluation of a model file, training a run spec and reproducing the papers' studies "
                + "on this machine.",
        subcommands = {DemoCommand.class, EvaluateCommand.class, TrainCommand.class, ReproduceCommand.class,
            CommandLine.HelpCommand.class})
public final class Robustlab implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int code = new CommandLine(new Robustlab()).execute(args);
        System.exit(code);
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
