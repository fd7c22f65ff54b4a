package dev.robustlab.contracts.spec;

/**
 * Data augmentation of the training batches (images only; evaluation always sees the clean test split). Each
 * training batch is augmented afresh from the run seed:
 * <ul>
 *   <li>random crop: the image is zero-padded by {@code padding} pixels on every side and a window of the original
 *       size is cut at a uniformly drawn offset in [0, 2·padding]²;</li>
 *   <li>horizontal flip: the image is mirrored left-right with probability ½.</li>
 * </ul>
 * Defaults: both on with a padding of 4 on CIFAR-10 and CIFAR-100 (the papers' setting), off elsewhere (SVHN's
 * digits and Fashion-MNIST are trained as they are).
 *
 * @param randomCrop     whether to crop at random from the zero-padded image
 * @param padding        zero padding of the random crop, in pixels (default 4); only with {@code randomCrop}
 * @param horizontalFlip whether to mirror half of the images
 */
public record AugmentationSpec(Boolean randomCrop, Integer padding, Boolean horizontalFlip) {
    static final int DEFAULT_PADDING = 4;

    /** Whether anything is done to the training images. */
    public boolean enabled() {
        return Boolean.TRUE.equals(randomCrop) || Boolean.TRUE.equals(horizontalFlip);
    }

    AugmentationSpec withDefaults(String dataset) {
        boolean standard = DatasetSpec.CIFAR10.equals(dataset) || DatasetSpec.CIFAR100.equals(dataset);
        boolean crop = randomCrop == null ? standard : randomCrop;
        return new AugmentationSpec(crop, padding == null && crop ? Integer.valueOf(DEFAULT_PADDING) : padding,
                horizontalFlip == null ? standard : horizontalFlip);
    }
}
