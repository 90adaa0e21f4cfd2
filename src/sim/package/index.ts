// Synthetic firmware packages for the simulator: Quectel's layout and file formats with
// self-describing images the simulated module can check after a flash.
export { makePackage, type MakePackageOptions, type PackageManifest, type PackageFile, type PackageProgress } from './make-package.js';
export { runMakePackage, parseMakePackageArgs, MAKE_PACKAGE_USAGE, type PackageCliIo, type MakePackageCommand } from './cli.js';
export { inspectImage, readImageDescriptor, ImageVerifier, type ImageInspection, type ValidImage, type InvalidImage, type ImageDefect, type DescriptorProbe } from './image-format.js';
export { inspectPartitionImage } from './partition-image.js';
export { DESCRIPTOR_PROBE_BYTES, DESCRIPTOR_SIZE, IMAGE_MAGIC, type ImageDescriptor, type ImageIdentity, type DescriptorContainer } from './image-descriptor.js';
export { CORRUPTION_KINDS, type CorruptionKind, type PackageCorruption } from './corruptions.js';
export { DEFAULT_PACKAGE, PACKAGE_MODELS } from './package-options.js';
export { PACKAGE_IMAGES, PACKAGE_GEOMETRIES, PACKAGE_SIZES, PROGRAMMER_PATH, rawprogramPath, patchPath, type ImageSpec, type PackageGeometry, type PackageSize } from './package-layout.js';
