/** What every unpacker takes (unpack.ts streams with the tar package, unpack-system-tar.ts with the machine's tar). */
export interface StreamUnpackOptions {
  dest: string;
  /** Leading path components to drop (the archive's top folder). */
  strip: number;
  /** `sha256:<hex>` or SRI `sha512-<base64>`. */
  checksum: string;
  /** For messages: what is being unpacked. */
  label: string;
  onBytes?: (chunkBytes: number) => void;
  /** Called when unpacking fails, to stop the download feeding it. */
  cancel?: () => void;
  /** The machine's tar to write the files (see unpack-system-tar.ts); undefined: the tar package does. */
  systemTar?: string;
  /** The machine's xz, found on the caller's PATH: a jar holding a .txz needs it (unpack-jar-txz.ts). */
  xz?: string;
}

/** The unpacker failed on the archive's bytes; `actual` is the checksum of the whole download. */
export class UnpackFailure extends Error {
  constructor(
    readonly reason: Error,
    readonly actual: string,
  ) {
    super(reason.message);
  }
}
