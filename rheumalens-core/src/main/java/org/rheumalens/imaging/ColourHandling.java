package org.rheumalens.imaging;

/** What a reader does with a truly colour image (grey stored as colour is always read as grey). */
public enum ColourHandling {
  /** Refuse it: a radiograph is never colour. */
  REFUSE,
  /** Read it as grey luma: ultrasound exports carry colour Doppler, text and calipers. */
  TO_GREY
}
