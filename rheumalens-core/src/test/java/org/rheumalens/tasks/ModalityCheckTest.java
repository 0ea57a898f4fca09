package org.rheumalens.tasks;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ModalityCheckTest {

  @Test
  void aRadiographTaskRefusesCrossSectionalAndUltrasoundImagesByName() {
    assertThat(ModalityCheck.refusal("CT", "XR", "knee-kl")).hasValueSatisfying(why -> assertThat(why)
        .contains("wrong modality").contains("CT (computed tomography)").contains("knee-kl grades radiographs"));
    assertThat(ModalityCheck.refusal("MR", "XR", "knee-kl")).hasValueSatisfying(why -> assertThat(why)
        .contains("MR (magnetic resonance)"));
    assertThat(ModalityCheck.refusal("us ", "XR", "knee-kl")).isPresent();
    assertThat(ModalityCheck.refusal("NM", "XR", "knee-kl")).isPresent();
  }

  @Test
  void radiographsAndModalitiesThatSayNothingPass() {
    for (String modality : new String[] {"CR", "DX", "RG", "dx", "OT", "SC", "", "XC"}) {
      assertThat(ModalityCheck.refusal(modality, "XR", "knee-kl")).as(modality).isEmpty();
    }
    assertThat(ModalityCheck.refusal(null, "XR", "knee-kl")).isEmpty();
  }

  @Test
  void otherTasksKeepTheirOwnModality() {
    assertThat(ModalityCheck.refusal("US", "US", "synovitis")).isEmpty();
    assertThat(ModalityCheck.refusal("CR", "US", "synovitis")).hasValueSatisfying(why -> assertThat(why)
        .contains("CR (radiographs (CR, DX))").contains("synovitis grades ultrasound"));
    assertThat(ModalityCheck.refusal("MR", "MR", "sacroiliitis-mri")).isEmpty();
    assertThat(ModalityCheck.refusal("CT", "MR", "sacroiliitis-mri")).isPresent();
  }
}
