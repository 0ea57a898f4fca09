package org.rheumalens.imaging;

/**
 * What a reader does with an image in true colour. Grey stored as colour (three equal channels, or nearly so) is read
 * as grey whatever the choice.
 */
public enum ColourHandling {
  /** Refuse it: a radiograph is greyscale, so colour means the wrong file or a screenshot. */
  REFUSE,
  /** Read its luma (0.299 R + 0.587 G + 0.114 B), for tasks such as ultrasound whose exports are often in colour. */
  TO_GREY,
  /**
   * Keep R, G and B, for tasks whose finding is in the colour (power Doppler over grey ultrasound); grey files stay
   * grey and the task replicates them.
   */
  KEEP
}
