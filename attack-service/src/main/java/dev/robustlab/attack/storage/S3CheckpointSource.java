package dev.robustlab.attack.storage;

import io.minio.GetObjectArgs;
import io.minio.MinioClient;
import io.minio.errors.ErrorResponseException;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.InputStream;
import java.util.Set;

/**
 * Reads checkpoints from S3. A missing object or bucket is a rejection (the job names something that is not
 * there); every other failure, authorisation errors included, counts as S3 being unavailable, since an operator
 * can fix it and the job is then worth doing.
 */
@ApplicationScoped
public class S3CheckpointSource implements CheckpointSource {
    private static final Set<String> ABSENT = Set.of("NoSuchKey", "NoSuchBucket", "NoSuchObject");

    @Inject
    MinioClient s3;

    @Override
    public InputStream open(String bucket, String key) {
        try {
            return s3.getObject(GetObjectArgs.builder().bucket(bucket).object(key).build());
        } catch (ErrorResponseException e) {
            String code = e.errorResponse().code();
            if (ABSENT.contains(code)) {
                throw new CheckpointRejectedException("checkpoint s3://" + bucket + "/" + key + " does not exist ("
                        + code + ")", e);
            }
            throw new StorageUnavailableException("S3 refused to read s3://" + bucket + "/" + key + ": " + code
                    + " " + e.errorResponse().message(), e);
        } catch (Exception e) {
            throw new StorageUnavailableException("cannot read s3://" + bucket + "/" + key + ": " + e, e);
        }
    }
}
