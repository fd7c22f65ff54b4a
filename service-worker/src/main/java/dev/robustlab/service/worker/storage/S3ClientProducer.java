package dev.robustlab.service.worker.storage;

import io.minio.MinioClient;
import jakarta.enterprise.inject.Disposes;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;
import java.util.concurrent.TimeUnit;
import org.jboss.logging.Logger;

/**
 * The one {@link MinioClient} of the process, on {@link S3Config}. {@code @Singleton}, not
 * {@code @ApplicationScoped}: building one costs about a second and a client proxy buys nothing here.
 */
public class S3ClientProducer {
    private static final Logger LOG = Logger.getLogger(S3ClientProducer.class);

    @Produces
    @Singleton
    MinioClient minioClient(S3Config s3) {
        MinioClient client = MinioClient.builder()
                .endpoint(s3.endpoint())
                .credentials(s3.accessKey(), s3.secretKey())
                .region(s3.region())
                .build();
        // OkHttp's defaults wait minutes on an endpoint that does not answer; fail fast and let the caller retry.
        client.setTimeout(TimeUnit.SECONDS.toMillis(10), TimeUnit.SECONDS.toMillis(120),
                TimeUnit.SECONDS.toMillis(120));
        return client;
    }

    void close(@Disposes MinioClient client) {
        try {
            client.close();
        } catch (Exception e) {
            LOG.debugf(e, "closing the S3 client");
        }
    }
}
