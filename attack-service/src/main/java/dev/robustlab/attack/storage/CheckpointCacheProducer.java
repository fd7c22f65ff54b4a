package dev.robustlab.attack.storage;

import dev.robustlab.attack.config.AttackSettings;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

/** The checkpoint cache of this worker: {@code <robustlab.work-dir>/checkpoints}, backed by S3. */
public class CheckpointCacheProducer {
    private static final Logger LOG = Logger.getLogger(CheckpointCacheProducer.class);

    @Produces
    @Singleton
    CheckpointCache checkpointCache(@ConfigProperty(name = "robustlab.work-dir") Path workDir,
                                    AttackSettings settings, S3CheckpointSource source) {
        return new CheckpointCache(workDir.toAbsolutePath().resolve("checkpoints"), settings.cacheMaxBytes(),
                source);
    }

    /** Creates the cache at start, so that an unusable work dir shows at once, not at the first job. */
    void onStart(@Observes StartupEvent event, CheckpointCache cache) {
        LOG.infof("checkpoint cache in %s", cache.directory());
    }
}
