package dev.robustlab.service.worker.runtime;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Where the image datasets' files lie on this worker: {@code robustlab.data-dir} ({@code ROBUSTLAB_DATA_DIR}), one
 * directory per dataset id ({@code <dir>/cifar10/cifar-10-batches-bin/...}, {@code <dir>/svhn/train_32x32.mat},
 * ...). Optional: without it only the datasets with a default directory can be read (Fashion-MNIST from Debian's
 * {@code /usr/share/datasets/fashion-mnist}), and a run on another image dataset fails naming this key. A deployment
 * concern, not the user's: run specs name datasets, never paths.
 */
@ApplicationScoped
public class DataDirectory {

    private final Path root;

    @Inject
    public DataDirectory(@ConfigProperty(name = "robustlab.data-dir") Optional<String> dataDir) {
        this.root = dataDir.filter(s -> !s.isBlank()).map(s -> Path.of(s).toAbsolutePath()).orElse(null);
    }

    /** The data root, or null when none is configured (ml-core's Datasets then uses default directories only). */
    public Path root() {
        return root;
    }
}
