package org.rheumalens.dicom.deid;

/**
 * The PS3.15 Annex E action codes. Where the profile allows a choice (X/Z, X/D, Z/D, X/Z/D) the table names the one
 * RheumaLens takes: Z where the attribute may be type 2 somewhere (present, empty), else X.
 */
public enum Action {
  /** Replace with a non-zero-length dummy value consistent with the VR. */
  D,
  /** Replace with a zero-length value. */
  Z,
  /** Remove. */
  X,
  /** Keep. */
  K,
  /** Clean: a value of the same meaning that identifies no one (dates shifted by a per-patient offset). */
  C,
  /** Replace a UID with another, the same for the same input within a run. */
  U,
  /** A sequence of references (X/Z/U*): kept, its items de-identified by the same table, their UIDs replaced. */
  RECURSE
}
