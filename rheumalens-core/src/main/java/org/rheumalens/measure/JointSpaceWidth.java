package org.rheumalens.measure;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.OptionalDouble;

/**
 * Minimum joint space widths of one knee. Medial and lateral are named only when the side is known; widths are null
 * where no joint space could be traced in that compartment, millimetres null where the input had no pixel spacing.
 *
 * @param side L, R, or null when unknown
 * @param medialPx minimum medial width in model-input pixels
 * @param lateralPx minimum lateral width in model-input pixels
 * @param imageLeftPx the compartment on the image's left, whatever the side
 * @param imageRightPx the compartment on the image's right
 * @param medialMm medial width in millimetres
 * @param lateralMm lateral width in millimetres
 * @param mmPerPixel millimetres per model-input pixel, when known
 * @param jointRow row of the traced joint line at the knee's centre (for overlays)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record JointSpaceWidth(
    @JsonProperty("side") String side,
    @JsonProperty("jsw_medial_px") Double medialPx,
    @JsonProperty("jsw_lateral_px") Double lateralPx,
    @JsonProperty("jsw_image_left_px") Double imageLeftPx,
    @JsonProperty("jsw_image_right_px") Double imageRightPx,
    @JsonProperty("jsw_medial_mm") Double medialMm,
    @JsonProperty("jsw_lateral_mm") Double lateralMm,
    @JsonProperty("mm_per_pixel") Double mmPerPixel,
    @JsonProperty("joint_row") int jointRow) {

  static JointSpaceWidth of(JointSpaceMeter.Side side, double imageLeft, double imageRight, OptionalDouble mmPerPixel,
      int jointRow) {
    Double left = finite(imageLeft);
    Double right = finite(imageRight);
    Double medial = switch (side) {
      case LEFT -> left;
      case RIGHT -> right;
      case UNKNOWN -> null;
    };
    Double lateral = switch (side) {
      case LEFT -> right;
      case RIGHT -> left;
      case UNKNOWN -> null;
    };
    Double scale = mmPerPixel.isPresent() ? mmPerPixel.getAsDouble() : null;
    return new JointSpaceWidth(
        side == JointSpaceMeter.Side.UNKNOWN ? null : side.name().substring(0, 1),
        round(medial), round(lateral), round(left), round(right),
        scale == null || medial == null ? null : round(medial * scale),
        scale == null || lateral == null ? null : round(lateral * scale),
        scale, jointRow);
  }

  /** The narrower of the two compartments, in pixels (NaN when neither was traced). */
  public double minimumPx() {
    if (imageLeftPx == null) {
      return imageRightPx == null ? Double.NaN : imageRightPx;
    }
    return imageRightPx == null ? imageLeftPx : Math.min(imageLeftPx, imageRightPx);
  }

  private static Double finite(double v) {
    return Double.isFinite(v) ? v : null;
  }

  private static Double round(Double v) {
    return v == null ? null : Math.round(v * 100) / 100.0;
  }
}
