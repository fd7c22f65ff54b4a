package dev.robustlab.ml.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * A minimal reader of MATLAB level-5 MAT-files (what MATLAB writes with {@code -v6} and {@code -v7}): real numeric
 * arrays, stored plain or in {@code miCOMPRESSED} (zlib) data elements, in either byte order. Other variables (cells,
 * structs, sparse, char) are skipped; asking for one is an error. MAT v7.3 (HDF5) and v4 files are refused.
 *
 * <p>The file is a 128-byte header (text, version {@code 0x0100}, endian indicator {@code IM} or {@code MI}), then
 * data elements: an 8-byte tag (type, byte count) or a 4-byte "small" tag (count in the upper 16 bits) before the
 * data, padded to 8 bytes. A variable is an {@code miMATRIX} element holding array flags (class, complex flag),
 * dimensions, name and the real part, whose storage type may be smaller than the class ({@code double} values saved
 * as {@code miUINT8}). MATLAB stores arrays column-major: the first dimension varies fastest.
 *
 * <p>Only what is asked for is read: {@link #read} can keep a range along the last dimension, skipping what comes
 * before it and stopping after it.
 */
final class MatFile {
    /** {@code mxDOUBLE_CLASS}. */
    static final int DOUBLE = 6;
    /** {@code mxUINT8_CLASS}. */
    static final int UINT8 = 9;

    private static final int MI_INT8 = 1;
    private static final int MI_UINT8 = 2;
    private static final int MI_INT16 = 3;
    private static final int MI_UINT16 = 4;
    private static final int MI_INT32 = 5;
    private static final int MI_UINT32 = 6;
    private static final int MI_SINGLE = 7;
    private static final int MI_DOUBLE = 9;
    private static final int MI_INT64 = 12;
    private static final int MI_UINT64 = 13;
    private static final int MI_MATRIX = 14;
    private static final int MI_COMPRESSED = 15;
    private static final int MI_UTF8 = 16;
    private static final int MX_UINT64 = 15;
    private static final int MX_OPAQUE = 17;
    private static final int COMPLEX_FLAG = 0x800;
    private static final int HEADER_BYTES = 128;
    private static final int MAX_HEADER_ELEMENT = 1 << 16;
    private static final String[] CLASS_NAMES = {"?", "cell", "struct", "object", "char", "sparse", "double",
        "single", "int8", "uint8", "int16", "uint16", "int32", "uint32", "int64", "uint64", "function", "opaque"};

    private final Path file;
    private final String remedy;

    /**
     * A numeric variable.
     *
     * @param name       its name
     * @param arrayClass its MATLAB class, e.g. {@link #UINT8} or {@link #DOUBLE}
     * @param dimensions its dimensions, the last one cut to the range read
     * @param uint8      the values of a {@code uint8} array, column-major; else {@code null}
     * @param values     the values of an array of another class, column-major; else {@code null}
     */
    record Array(String name, int arrayClass, int[] dimensions, byte[] uint8, double[] values) {
    }

    /**
     * @param file   the MAT-file
     * @param remedy what to do if it is missing or malformed, for the error messages
     */
    MatFile(Path file, String remedy) {
        this.file = DatasetFiles.requireFile(file, remedy);
        this.remedy = remedy;
    }

    /** The MAT-file. */
    Path file() {
        return file;
    }

    /** The dimensions of variable {@code name}, reading only its header. */
    int[] dimensions(String name) {
        return find(name, (in, header) -> header.dimensions);
    }

    /**
     * Numeric variable {@code name}, only indices {@code [offset, offset + count)} of its last dimension
     * ({@code count} {@link ImageDatasets#ALL}: to the end).
     */
    Array read(String name, int offset, int count) {
        return find(name, (in, header) -> header.read(in, offset, count));
    }

    private interface Body<T> {
        T read(Input in, Header header) throws IOException;
    }

    private <T> T find(String name, Body<T> body) {
        try (InputStream raw = DatasetFiles.openUncompressed(file, remedy)) {
            Input top = new Input(raw, header(raw), null);
            List<String> seen = new ArrayList<>();
            for (Tag tag = top.tagOrEnd(); tag != null; tag = top.tagOrEnd()) {
                long end = top.position + tag.bytes;
                if (tag.type == MI_COMPRESSED) {
                    Bounded bounded = new Bounded(raw, tag.bytes);
                    try (InputStream inflated = new Inflating(bounded)) {
                        Input in = new Input(inflated, top.order, " in the zlib-compressed element at byte "
                                + top.position);
                        Tag matrix = in.tag("the tag of the compressed variable");
                        Header header = matrix.type == MI_MATRIX && matrix.bytes > 0 ? in.header() : null;
                        if (header != null && header.name.equals(name)) {
                            return body.read(in, header);
                        }
                        seen.add(header == null ? "(not a variable)" : header.name);
                    }
                    top.skip(bounded.remaining, "the compressed element");
                    top.position = end;
                } else if (tag.type == MI_MATRIX && tag.bytes > 0) {
                    Header header = top.header();
                    if (header.name.equals(name)) {
                        return body.read(top, header);
                    }
                    seen.add(header.name);
                    top.skip(end - top.position, "variable " + header.name);
                } else {
                    top.skip(tag.bytes + tag.padding(), "a data element of type " + tag.type);
                }
            }
            throw new DatasetFileException(file, "expected a variable named '" + name + "', found only " + seen,
                    remedy);
        } catch (IOException e) {
            throw DatasetFiles.unreadable(file, "the MAT-file", remedy, e);
        }
    }

    /** Reads the 128-byte header and answers the byte order it declares. */
    private ByteOrder header(InputStream raw) {
        byte[] header = new byte[HEADER_BYTES];
        DatasetFiles.readFully(raw, header, 0, HEADER_BYTES, file, "MAT-file header", remedy);
        String text = new String(header, 0, 116, StandardCharsets.US_ASCII);
        String resave = "; re-save it as a level-5 MAT-file (MATLAB: save(file, '-v7'); Python: scipy.io.savemat)";
        boolean hdf5 = (header[0] & 0xFF) == 0x89 && header[1] == 'H' && header[2] == 'D' && header[3] == 'F';
        if (hdf5 || text.startsWith("MATLAB 7.3")) {
            throw new DatasetFileException(file, "is a MAT-file v7.3 (HDF5), which is not read; expected a level-5 "
                    + "MAT-file (MATLAB 5.0 to 7.2 format)" + resave, remedy);
        }
        if (header[0] == 0 || header[1] == 0 || header[2] == 0 || header[3] == 0) {
            throw new DatasetFileException(file, "is not a level-5 MAT-file (its header does not start with text: a "
                    + "MAT v4 file or another format)" + resave, remedy);
        }
        ByteOrder order;
        if (header[126] == 'I' && header[127] == 'M') {
            order = ByteOrder.LITTLE_ENDIAN;
        } else if (header[126] == 'M' && header[127] == 'I') {
            order = ByteOrder.BIG_ENDIAN;
        } else {
            throw new DatasetFileException(file, "expected a MAT-file header ('MATLAB 5.0 MAT-file' … endian "
                    + "indicator IM or MI at byte 126), found '" + text.strip() + "'", remedy);
        }
        int version = ByteBuffer.wrap(header, 124, 2).order(order).getShort() & 0xFFFF;
        if (version == 0x0200) {
            throw new DatasetFileException(file, "is a MAT-file v7.3 (HDF5), which is not read" + resave, remedy);
        }
        if (version != 0x0100) {
            throw new DatasetFileException(file, "expected MAT-file version 0x0100, found 0x"
                    + Integer.toHexString(version), remedy);
        }
        return order;
    }

    /** A data element's tag: its type and the byte count of its data. */
    private record Tag(int type, long bytes, boolean small) {
        long padding() {
            return small ? 4 - bytes : (8 - bytes % 8) % 8;
        }
    }

    /** The flags, dimensions and name of a variable. */
    private final class Header {
        final String name;
        final int arrayClass;
        final boolean complex;
        final int[] dimensions;

        Header(String name, int arrayClass, boolean complex, int[] dimensions) {
            this.name = name;
            this.arrayClass = arrayClass;
            this.complex = complex;
            this.dimensions = dimensions;
        }

        Array read(Input in, int offset, int count) throws IOException {
            String what = "variable '" + name + "'";
            if (arrayClass < DOUBLE || arrayClass > MX_UINT64 || complex || dimensions.length == 0) {
                throw new DatasetFileException(file, "expected " + what + " to be a real numeric array, found a "
                        + (complex ? "complex " : "") + className(arrayClass) + " array", remedy);
            }
            long elements = 1;
            for (int d : dimensions) {
                elements *= d;
            }
            Tag data = in.tag("the data tag of " + what);
            int size = storageBytes(data.type, what);
            if (data.bytes != elements * size) {
                throw new DatasetFileException(file, what + " " + Arrays.toString(dimensions) + " needs "
                        + elements + " × " + size + " bytes of data, its data element declares " + data.bytes,
                        remedy);
            }
            int slices = dimensions[dimensions.length - 1];
            long perSlice = slices == 0 ? 0 : elements / slices;
            int n = DatasetFiles.rangeCount(file, slices, offset, count);
            int[] kept = dimensions.clone();
            kept[kept.length - 1] = n;
            int values = Math.toIntExact(perSlice * n);
            in.skip(perSlice * offset * size, "the part of " + what + " before the range");
            if (arrayClass == UINT8) {
                if (data.type != MI_UINT8) {
                    throw new DatasetFileException(file, "expected the uint8 " + what + " stored as miUINT8 (2), "
                            + "found storage type " + data.type, remedy);
                }
                byte[] bytes = new byte[values];
                in.bytes(bytes, 0, values, what);
                in.finish(offset + n == slices, what);
                return new Array(name, arrayClass, kept, bytes, null);
            }
            double[] doubles = in.values(data.type, size, values, what);
            in.finish(offset + n == slices, what);
            return new Array(name, arrayClass, kept, null, doubles);
        }
    }

    private int storageBytes(int type, String what) {
        return switch (type) {
            case MI_INT8, MI_UINT8 -> 1;
            case MI_INT16, MI_UINT16 -> 2;
            case MI_INT32, MI_UINT32, MI_SINGLE -> 4;
            case MI_DOUBLE, MI_INT64, MI_UINT64 -> 8;
            default -> throw new DatasetFileException(file, "expected numeric data for " + what + ", found data "
                    + "type " + type, remedy);
        };
    }

    private static String className(int arrayClass) {
        return arrayClass > 0 && arrayClass < CLASS_NAMES.length ? CLASS_NAMES[arrayClass]
                : "class " + arrayClass;
    }

    /** A stream of data elements in one byte order, counting the bytes it consumed. */
    private final class Input {
        final InputStream in;
        final ByteOrder order;
        /** Where this stream is in the file, for messages; {@code null} for the file itself. */
        final String where;
        final ByteBuffer scratch;
        long position;

        Input(InputStream in, ByteOrder order, String where) {
            this.in = in;
            this.order = order;
            this.where = where;
            this.scratch = ByteBuffer.allocate(8).order(order);
            this.position = HEADER_BYTES;
        }

        /** The next tag, or {@code null} at the end of the file. */
        Tag tagOrEnd() throws IOException {
            int first = in.read();
            if (first < 0) {
                return null;
            }
            scratch.clear();
            scratch.put((byte) first);
            bytes(scratch.array(), 1, 3, "the tag of a data element");
            position++;
            return tag(scratch.getInt(0), "the tag of a data element");
        }

        Tag tag(String what) {
            return tag(readInt(what), what);
        }

        private Tag tag(int first, String what) {
            if (first >>> 16 != 0) {
                return new Tag(first & 0xFFFF, first >>> 16, true);
            }
            return new Tag(first, readInt(what) & 0xFFFFFFFFL, false);
        }

        /** Flags, dimensions and name of the variable whose {@code miMATRIX} tag was just read. */
        Header header() {
            ByteBuffer flags = element("the array flags", MI_UINT32);
            int word = flags.getInt(0);
            int arrayClass = word & 0xFF;
            int[] dimensions = new int[0];
            if (arrayClass != MX_OPAQUE) {
                ByteBuffer dims = element("the dimensions", MI_INT32);
                dimensions = new int[dims.limit() / 4];
                for (int d = 0; d < dimensions.length; d++) {
                    dimensions[d] = dims.getInt(4 * d);
                    if (dimensions[d] < 0) {
                        throw new DatasetFileException(file, "negative dimension " + dimensions[d] + " in the "
                                + where("dimensions of a variable"), remedy);
                    }
                }
            }
            ByteBuffer name = element("the array name", MI_INT8, MI_UINT8, MI_UTF8);
            return new Header(new String(name.array(), 0, name.limit(), StandardCharsets.UTF_8), arrayClass,
                    (word & COMPLEX_FLAG) != 0, dimensions);
        }

        /** A small element of one of {@code types}, with its padding consumed. */
        private ByteBuffer element(String what, int... types) {
            Tag tag = tag(what);
            if (Arrays.stream(types).noneMatch(t -> t == tag.type) || tag.bytes > MAX_HEADER_ELEMENT) {
                throw new DatasetFileException(file, "expected " + what + " of a variable (data type " + types[0]
                        + ") " + where("").strip() + ", found data type " + tag.type + " of " + tag.bytes
                        + " bytes: a damaged file",
                        remedy);
            }
            byte[] data = new byte[Math.toIntExact(tag.bytes)];
            bytes(data, 0, data.length, what);
            skip(tag.padding(), what);
            return ByteBuffer.wrap(data).order(order);
        }

        /** {@code count} values of storage {@code type}, {@code size} bytes each, as doubles. */
        double[] values(int type, int size, int count, String what) {
            double[] values = new double[count];
            byte[] chunk = new byte[Math.min(count, 8192) * size];
            ByteBuffer buffer = ByteBuffer.wrap(chunk).order(order);
            for (int done = 0; done < count; ) {
                int k = Math.min(chunk.length / size, count - done);
                bytes(chunk, 0, k * size, what);
                buffer.clear();
                for (int i = 0; i < k; i++, done++) {
                    values[done] = switch (type) {
                        case MI_INT8 -> buffer.get();
                        case MI_UINT8 -> buffer.get() & 0xFF;
                        case MI_INT16 -> buffer.getShort();
                        case MI_UINT16 -> buffer.getShort() & 0xFFFF;
                        case MI_INT32 -> buffer.getInt();
                        case MI_UINT32 -> buffer.getInt() & 0xFFFFFFFFL;
                        case MI_SINGLE -> buffer.getFloat();
                        case MI_DOUBLE -> buffer.getDouble();
                        case MI_INT64 -> buffer.getLong();
                        default -> unsigned(buffer.getLong());
                    };
                }
            }
            return values;
        }

        private static double unsigned(long v) {
            return v >= 0 ? v : (v >>> 1) * 2.0 + (v & 1);
        }

        private int readInt(String what) {
            bytes(scratch.array(), 0, 4, what);
            return scratch.getInt(0);
        }

        void bytes(byte[] into, int at, int length, String what) {
            DatasetFiles.readFully(in, into, at, length, file, where(what), remedy);
            position += length;
        }

        void skip(long length, String what) {
            DatasetFiles.skip(in, length, file, where(what), remedy);
            position += length;
        }

        /**
         * After the last value of a compressed variable, reads the element to its end, so that zlib checks the
         * stream's checksum: damaged data that still inflates is caught.
         */
        void finish(boolean readToTheEnd, String what) throws IOException {
            if (readToTheEnd && where != null) {
                try {
                    while (in.read() >= 0) {
                        position++;
                    }
                } catch (IOException e) {
                    throw DatasetFiles.unreadable(file, where(what), remedy, e);
                }
            }
        }

        private String where(String what) {
            return what + (where != null ? where : " at byte " + position);
        }
    }

    /** Inflates a compressed element through buffers large enough that neither reading nor skipping crawls. */
    private static final class Inflating extends InflaterInputStream {
        private static final int BUFFER = 1 << 16;

        Inflating(InputStream in) {
            super(in, new Inflater(), BUFFER);
        }

        @Override
        public long skip(long n) throws IOException {
            byte[] discard = new byte[(int) Math.min(Math.max(n, 0), BUFFER)];
            long left = n;
            while (left > 0) {
                int read = read(discard, 0, (int) Math.min(left, discard.length));
                if (read < 0) {
                    break;
                }
                left -= read;
            }
            return n - left;
        }

        @Override
        public void close() throws IOException {
            try {
                super.close();
            } finally {
                inf.end();
            }
        }
    }

    /** The next {@code remaining} bytes of a stream, for a compressed element; closing it leaves the stream open. */
    private static final class Bounded extends InputStream {
        private final InputStream in;
        long remaining;

        Bounded(InputStream in, long length) {
            this.in = in;
            this.remaining = length;
        }

        @Override
        public int read() throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int b = in.read();
            if (b >= 0) {
                remaining--;
            }
            return b;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (remaining == 0) {
                return -1;
            }
            int read = in.read(b, off, (int) Math.min(len, remaining));
            if (read > 0) {
                remaining -= read;
            }
            return read;
        }

        @Override
        public void close() {
        }
    }
}
