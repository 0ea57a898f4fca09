package org.rheumalens.dicom.out;

import java.nio.file.Path;

/** A DICOM object RheumaLens wrote: its file and what a reference to it needs. */
public record WrittenObject(Path file, String sopClassUid, String sopInstanceUid, String seriesInstanceUid) {}
