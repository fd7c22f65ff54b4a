package dev.robustlab.ml.checkpoint;

import ai.djl.MalformedModelException;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import dev.robustlab.contracts.spec.ModelSpec;
import dev.robustlab.ml.model.Classifier;
import dev.robustlab.ml.model.Models;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32;

/**
 * Writes and reads checkpoints. Layout (big-endian, {@link DataOutputStream}):
 * <pre>
 *   "RLCK"                       magic, 4 bytes
 *   int     format version       1
 *   UTF     architecture         Models.describe: mlp(hidden=64), small-cnn
 *   UTF     input shape          e.g. (3)
 *   int     classes
 *   int     payload length n
 *   n bytes payload              DJL Block.saveParameters (parameter names, shapes, FLOAT32 values)
 *   long    CRC-32 of the payload
 * </pre>
 * The header is enough to rebuild the model ({@link #read(byte[], NDManager)}); a reader that knows what it expects
 * ({@link #read(byte[], ModelSpec, Shape, int, NDManager)}) refuses a checkpoint of anything else.
 */
public final class Checkpoints {
    private static final byte[] MAGIC = {'R', 'L', 'C', 'K'};
    private static final int VERSION = 1;

    private Checkpoints() {
    }

    /** The parameters of {@code model} as checkpoint bytes. */
    public static byte[] write(Classifier model) {
        try {
            ByteArrayOutputStream payload = new ByteArrayOutputStream();
            try (DataOutputStream out = new DataOutputStream(payload)) {
                model.block().saveParameters(out);
            }
            byte[] parameters = payload.toByteArray();
            ByteArrayOutputStream bytes = new ByteArrayOutputStream(parameters.length + 64);
            try (DataOutputStream out = new DataOutputStream(bytes)) {
                out.write(MAGIC);
                out.writeInt(VERSION);
                out.writeUTF(model.description());
                out.writeUTF(model.inputShape().toString());
                out.writeInt(model.classes());
                out.writeInt(parameters.length);
                out.write(parameters);
                out.writeLong(crc(parameters));
            }
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot serialise the parameters", e);
        }
    }

    /**
     * What a checkpoint's header records: enough to rebuild the classifier without any other description.
     *
     * @param description the architecture, as {@link Models#describe} writes it, e.g. {@code mlp(hidden=64)}
     * @param inputShape  shape of one input
     * @param classes     number of classes
     */
    public record Header(String description, Shape inputShape, int classes) {
        /** The spec that builds this architecture. */
        public ModelSpec spec() {
            return Models.parse(description);
        }
    }

    /**
     * The header of checkpoint bytes (the payload and its checksum are not checked here).
     *
     * @throws IllegalArgumentException if the bytes do not start with a readable checkpoint header
     */
    public static Header header(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("checkpoint is empty");
        }
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            return header(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint is truncated or malformed: " + e, e);
        }
    }

    /**
     * Rebuilds the classifier a checkpoint holds from the checkpoint alone: the architecture, input shape and number
     * of classes come from its header. Its parameters are frozen, as in {@link #read(byte[], ModelSpec, Shape, int,
     * NDManager)}.
     *
     * @throws IllegalArgumentException if the bytes are not an intact checkpoint of an architecture this build knows
     */
    public static Classifier read(byte[] bytes, NDManager parent) {
        Header header = header(bytes);
        return read(bytes, header.spec(), header.inputShape(), header.classes(), parent);
    }

    /**
     * Rebuilds a classifier of {@code spec} from checkpoint bytes. Its parameters are frozen: it is for inference
     * and attacks, not training.
     *
     * @param bytes      bytes from {@link #write(Classifier)}
     * @param spec       the architecture the checkpoint must be of
     * @param inputShape shape of one input
     * @param classes    number of classes
     * @param parent     the classifier's manager is created under it
     * @throws IllegalArgumentException if the bytes are not an intact checkpoint of this architecture
     */
    public static Classifier read(byte[] bytes, ModelSpec spec, Shape inputShape, int classes, NDManager parent) {
        if (bytes == null || bytes.length == 0) {
            throw new IllegalArgumentException("checkpoint is empty");
        }
        String expected = Models.describe(spec);
        byte[] parameters = payload(bytes, expected, inputShape, classes);
        Classifier model = Models.placeholder(spec, inputShape, classes, parent);
        try {
            load(model, parameters);
            model.block().freezeParameters(true);
            return model;
        } catch (RuntimeException e) {
            model.close();
            throw e;
        }
    }

    private static byte[] payload(byte[] bytes, String expected, Shape inputShape, int classes) {
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(bytes))) {
            Header header = header(in);
            if (!header.description().equals(expected) || !header.inputShape().equals(inputShape)
                    || header.classes() != classes) {
                throw new IllegalArgumentException("checkpoint is of " + header.description() + " on inputs "
                        + header.inputShape() + " with " + header.classes() + " classes, but the spec asks for "
                        + expected + " on inputs " + inputShape + " with " + classes + " classes");
            }
            int length = in.readInt();
            if (length < 0 || length > in.available() - Long.BYTES) {
                throw new IllegalArgumentException("checkpoint is truncated: payload of " + length + " bytes announced, "
                        + Math.max(0, in.available() - Long.BYTES) + " present");
            }
            byte[] parameters = new byte[length];
            in.readFully(parameters);
            long checksum = in.readLong();
            if (in.available() != 0) {
                throw new IllegalArgumentException("checkpoint has " + in.available() + " trailing bytes");
            }
            if (checksum != crc(parameters)) {
                throw new IllegalArgumentException("checkpoint is corrupt: checksum mismatch");
            }
            return parameters;
        } catch (IOException e) {
            throw new IllegalArgumentException("checkpoint is truncated or malformed: " + e, e);
        }
    }

    private static Header header(DataInputStream in) throws IOException {
        byte[] magic = new byte[MAGIC.length];
        in.readFully(magic);
        if (!Arrays.equals(magic, MAGIC)) {
            throw new IllegalArgumentException("not a Robustlab checkpoint (bad magic bytes)");
        }
        int version = in.readInt();
        if (version != VERSION) {
            throw new IllegalArgumentException("unsupported checkpoint format version " + version
                    + "; this build reads version " + VERSION);
        }
        String description = in.readUTF();
        String shape = in.readUTF();
        int classes = in.readInt();
        return new Header(description, parseShape(shape), classes);
    }

    /** The shape {@link Shape#toString()} wrote, e.g. {@code (1, 28, 28)}. */
    private static Shape parseShape(String text) {
        String inner = text.startsWith("(") && text.endsWith(")") ? text.substring(1, text.length() - 1) : null;
        try {
            if (inner == null || inner.isBlank()) {
                throw new NumberFormatException("not (d1, d2, ...)");
            }
            String[] parts = inner.split(",");
            long[] dims = new long[parts.length];
            for (int i = 0; i < parts.length; i++) {
                dims[i] = Long.parseLong(parts[i].trim());
                if (dims[i] < 1) {
                    throw new NumberFormatException("dimension " + dims[i] + " < 1");
                }
            }
            return new Shape(dims);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("checkpoint header has a malformed input shape '" + text + "': "
                    + e.getMessage(), e);
        }
    }

    private static void load(Classifier model, byte[] parameters) {
        List<Parameter> all = model.parameters();
        List<Shape> shapes = new ArrayList<>();
        for (Parameter parameter : all) {
            shapes.add(parameter.getShape());
        }
        model.block().clear();
        try (DataInputStream in = new DataInputStream(new ByteArrayInputStream(parameters))) {
            model.block().loadParameters(model.manager(), in);
            if (in.available() != 0) {
                throw new IllegalArgumentException("checkpoint payload has " + in.available() + " unread bytes");
            }
        } catch (IOException | MalformedModelException | RuntimeException e) {
            if (e instanceof IllegalArgumentException iae) {
                throw iae;
            }
            throw new IllegalArgumentException("checkpoint parameters cannot be loaded into " + model.description()
                    + ": " + e.getMessage(), e);
        }
        for (int i = 0; i < all.size(); i++) {
            Parameter parameter = all.get(i);
            if (!parameter.isInitialized() || !parameter.getArray().getShape().equals(shapes.get(i))) {
                throw new IllegalArgumentException("checkpoint parameter " + parameter.getName() + " has shape "
                        + (parameter.isInitialized() ? parameter.getArray().getShape() : "(missing)")
                        + ", expected " + shapes.get(i));
            }
        }
    }

    private static long crc(byte[] bytes) {
        CRC32 crc = new CRC32();
        crc.update(bytes);
        return crc.getValue();
    }
}
