package dev.robustlab.attack;

import dev.robustlab.service.worker.runtime.DjlRuntime;
import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Entry point of the packaged service. It switches DJL to offline mode before anything can load the engine:
 * without it the engine start contacts a cloud metadata address.
 */
@QuarkusMain
public final class AttackMain {

    public static void main(String... args) {
        DjlRuntime.ensureOffline();
        Quarkus.run(args);
    }
}
