package org.rheumalens.dicom.deid;

import com.pixelmed.dicom.AttributeTag;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The Basic Application Level Confidentiality Profile (DICOM PS3.15 Annex E, Table E.1-1) as a table of tag actions,
 * with the Retain Longitudinal Temporal Information with Full Dates Option. Attributes not in the table are kept, as
 * the profile says, except private attributes, overlay data and comments (60xx,3000/4000) and curves (50xx), which
 * are removed. Options: Retain Longitudinal Temporal Information with Full Dates (dates kept) or with Modified Dates
 * (dates shifted per patient, intervals kept), and Retain Patient Characteristics (sex, age, size, weight...).
 */
public final class ConfidentialityProfile {

  /** One row of the table: the tag, its keyword (for people and tests) and the action. */
  public record Rule(AttributeTag tag, String keyword, Action action, boolean temporal) {}

  /**
   * Options of the profile a run applies.
   *
   * @param keepDates Retain Longitudinal Temporal Information with Full Dates Option
   * @param modifyDates Retain Longitudinal Temporal Information with Modified Dates Option (ignored with keepDates)
   * @param patientCharacteristics Retain Patient Characteristics Option
   */
  public record Options(boolean keepDates, boolean modifyDates, boolean patientCharacteristics) {
    public static final Options BASIC = new Options(false, false, false);

    public Options(boolean keepDates) {
      this(keepDates, false, false);
    }
  }

  private static final Map<AttributeTag, Rule> TABLE = new LinkedHashMap<>();

  /** Dates and times the Full Dates option keeps (K); birth date and time are not longitudinal and stay removed. */
  private static final Set<String> NOT_LONGITUDINAL = Set.of("PatientBirthDate", "PatientBirthTime");
  /** What the Retain Patient Characteristics Option keeps. */
  private static final Set<String> CHARACTERISTICS = Set.of("PatientSex", "PatientAge", "PatientSize", "PatientWeight",
      "EthnicGroup", "SmokingStatus", "PregnancyStatus", "PatientSexNeutered");

  static {
    // Identity and demographics
    rule(0x0010, 0x0010, "PatientName", Action.Z);
    rule(0x0010, 0x0020, "PatientID", Action.Z);
    rule(0x0010, 0x0021, "IssuerOfPatientID", Action.X);
    rule(0x0010, 0x0030, "PatientBirthDate", Action.Z);
    rule(0x0010, 0x0032, "PatientBirthTime", Action.X);
    rule(0x0010, 0x0040, "PatientSex", Action.Z);
    rule(0x0010, 0x0050, "PatientInsurancePlanCodeSequence", Action.X);
    rule(0x0010, 0x0101, "PatientPrimaryLanguageCodeSequence", Action.X);
    rule(0x0010, 0x0102, "PatientPrimaryLanguageModifierCodeSequence", Action.X);
    rule(0x0010, 0x1000, "OtherPatientIDs", Action.X);
    rule(0x0010, 0x1001, "OtherPatientNames", Action.X);
    rule(0x0010, 0x1002, "OtherPatientIDsSequence", Action.X);
    rule(0x0010, 0x1005, "PatientBirthName", Action.X);
    rule(0x0010, 0x1010, "PatientAge", Action.X);
    rule(0x0010, 0x1020, "PatientSize", Action.X);
    rule(0x0010, 0x1030, "PatientWeight", Action.X);
    rule(0x0010, 0x1040, "PatientAddress", Action.X);
    rule(0x0010, 0x1050, "InsurancePlanIdentification", Action.X);
    rule(0x0010, 0x1060, "PatientMotherBirthName", Action.X);
    rule(0x0010, 0x1080, "MilitaryRank", Action.X);
    rule(0x0010, 0x1081, "BranchOfService", Action.X);
    rule(0x0010, 0x1090, "MedicalRecordLocator", Action.X);
    rule(0x0010, 0x1100, "ReferencedPatientPhotoSequence", Action.X);
    rule(0x0010, 0x2000, "MedicalAlerts", Action.X);
    rule(0x0010, 0x2110, "Allergies", Action.X);
    rule(0x0010, 0x2150, "CountryOfResidence", Action.X);
    rule(0x0010, 0x2152, "RegionOfResidence", Action.X);
    rule(0x0010, 0x2154, "PatientTelephoneNumbers", Action.X);
    rule(0x0010, 0x2160, "EthnicGroup", Action.X);
    rule(0x0010, 0x2180, "Occupation", Action.X);
    rule(0x0010, 0x21A0, "SmokingStatus", Action.X);
    rule(0x0010, 0x21B0, "AdditionalPatientHistory", Action.X);
    rule(0x0010, 0x21C0, "PregnancyStatus", Action.X);
    rule(0x0010, 0x21D0, "LastMenstrualDate", Action.X);
    rule(0x0010, 0x21F0, "PatientReligiousPreference", Action.X);
    rule(0x0010, 0x2203, "PatientSexNeutered", Action.Z);
    rule(0x0010, 0x2297, "ResponsiblePerson", Action.X);
    rule(0x0010, 0x2299, "ResponsibleOrganization", Action.X);
    rule(0x0010, 0x4000, "PatientComments", Action.X);
    // Study, visit and request
    rule(0x0008, 0x0050, "AccessionNumber", Action.Z);
    rule(0x0008, 0x0020, "StudyDate", Action.Z);
    rule(0x0008, 0x0030, "StudyTime", Action.Z);
    rule(0x0020, 0x0010, "StudyID", Action.Z);
    rule(0x0008, 0x1030, "StudyDescription", Action.X);
    rule(0x0008, 0x0090, "ReferringPhysicianName", Action.Z);
    rule(0x0008, 0x0092, "ReferringPhysicianAddress", Action.X);
    rule(0x0008, 0x0094, "ReferringPhysicianTelephoneNumbers", Action.X);
    rule(0x0008, 0x0096, "ReferringPhysicianIdentificationSequence", Action.X);
    rule(0x0008, 0x1048, "PhysiciansOfRecord", Action.X);
    rule(0x0008, 0x1049, "PhysiciansOfRecordIdentificationSequence", Action.X);
    rule(0x0008, 0x1060, "NameOfPhysiciansReadingStudy", Action.X);
    rule(0x0008, 0x1062, "PhysiciansReadingStudyIdentificationSequence", Action.X);
    rule(0x0008, 0x1080, "AdmittingDiagnosesDescription", Action.X);
    rule(0x0008, 0x1084, "AdmittingDiagnosesCodeSequence", Action.X);
    rule(0x0008, 0x1110, "ReferencedStudySequence", Action.Z);
    rule(0x0008, 0x1111, "ReferencedPerformedProcedureStepSequence", Action.Z);
    rule(0x0008, 0x1120, "ReferencedPatientSequence", Action.X);
    rule(0x0032, 0x0032, "StudyVerifiedDate", Action.X);
    rule(0x0032, 0x0033, "StudyVerifiedTime", Action.X);
    rule(0x0032, 0x0034, "StudyReadDate", Action.X);
    rule(0x0032, 0x0035, "StudyReadTime", Action.X);
    rule(0x0032, 0x1000, "ScheduledStudyStartDate", Action.X);
    rule(0x0032, 0x1001, "ScheduledStudyStartTime", Action.X);
    rule(0x0032, 0x1010, "ScheduledStudyStopDate", Action.X);
    rule(0x0032, 0x1011, "ScheduledStudyStopTime", Action.X);
    rule(0x0032, 0x1020, "ScheduledStudyLocation", Action.X);
    rule(0x0032, 0x1021, "ScheduledStudyLocationAETitle", Action.X);
    rule(0x0032, 0x1030, "ReasonForStudy", Action.X);
    rule(0x0032, 0x1032, "RequestingPhysician", Action.X);
    rule(0x0032, 0x1033, "RequestingService", Action.X);
    rule(0x0032, 0x1040, "StudyArrivalDate", Action.X);
    rule(0x0032, 0x1041, "StudyArrivalTime", Action.X);
    rule(0x0032, 0x1050, "StudyCompletionDate", Action.X);
    rule(0x0032, 0x1051, "StudyCompletionTime", Action.X);
    rule(0x0032, 0x1060, "RequestedProcedureDescription", Action.Z);
    rule(0x0032, 0x1070, "RequestedContrastAgent", Action.X);
    rule(0x0032, 0x4000, "StudyComments", Action.X);
    rule(0x0038, 0x0010, "AdmissionID", Action.X);
    rule(0x0038, 0x0011, "IssuerOfAdmissionID", Action.X);
    rule(0x0038, 0x001E, "ScheduledPatientInstitutionResidence", Action.X);
    rule(0x0038, 0x0020, "AdmittingDate", Action.X);
    rule(0x0038, 0x0021, "AdmittingTime", Action.X);
    rule(0x0038, 0x0030, "DischargeDate", Action.X);
    rule(0x0038, 0x0032, "DischargeTime", Action.X);
    rule(0x0038, 0x0040, "DischargeDiagnosisDescription", Action.X);
    rule(0x0038, 0x0050, "SpecialNeeds", Action.X);
    rule(0x0038, 0x0060, "ServiceEpisodeID", Action.X);
    rule(0x0038, 0x0061, "IssuerOfServiceEpisodeID", Action.X);
    rule(0x0038, 0x0062, "ServiceEpisodeDescription", Action.X);
    rule(0x0038, 0x0300, "CurrentPatientLocation", Action.X);
    rule(0x0038, 0x0400, "PatientInstitutionResidence", Action.X);
    rule(0x0038, 0x0500, "PatientState", Action.X);
    rule(0x0038, 0x1234, "ReferencedPatientAliasSequence", Action.X);
    rule(0x0038, 0x4000, "VisitComments", Action.X);
    rule(0x0040, 0x0001, "ScheduledStationAETitle", Action.X);
    rule(0x0040, 0x0002, "ScheduledProcedureStepStartDate", Action.X);
    rule(0x0040, 0x0003, "ScheduledProcedureStepStartTime", Action.X);
    rule(0x0040, 0x0004, "ScheduledProcedureStepEndDate", Action.X);
    rule(0x0040, 0x0005, "ScheduledProcedureStepEndTime", Action.X);
    rule(0x0040, 0x0006, "ScheduledPerformingPhysicianName", Action.X);
    rule(0x0040, 0x0007, "ScheduledProcedureStepDescription", Action.X);
    rule(0x0040, 0x0009, "ScheduledProcedureStepID", Action.X);
    rule(0x0040, 0x000B, "ScheduledPerformingPhysicianIdentificationSequence", Action.X);
    rule(0x0040, 0x0010, "ScheduledStationName", Action.X);
    rule(0x0040, 0x0011, "ScheduledProcedureStepLocation", Action.X);
    rule(0x0040, 0x0012, "PreMedication", Action.X);
    rule(0x0040, 0x0241, "PerformedStationAETitle", Action.X);
    rule(0x0040, 0x0242, "PerformedStationName", Action.X);
    rule(0x0040, 0x0243, "PerformedLocation", Action.X);
    rule(0x0040, 0x0244, "PerformedProcedureStepStartDate", Action.X);
    rule(0x0040, 0x0245, "PerformedProcedureStepStartTime", Action.X);
    rule(0x0040, 0x0250, "PerformedProcedureStepEndDate", Action.X);
    rule(0x0040, 0x0251, "PerformedProcedureStepEndTime", Action.X);
    rule(0x0040, 0x0253, "PerformedProcedureStepID", Action.X);
    rule(0x0040, 0x0254, "PerformedProcedureStepDescription", Action.X);
    rule(0x0040, 0x0275, "RequestAttributesSequence", Action.X);
    rule(0x0040, 0x0280, "CommentsOnThePerformedProcedureStep", Action.X);
    rule(0x0040, 0x0310, "CommentsOnRadiationDose", Action.X);
    rule(0x0040, 0x0555, "AcquisitionContextSequence", Action.X);
    rule(0x0040, 0x1001, "RequestedProcedureID", Action.X);
    rule(0x0040, 0x1004, "PatientTransportArrangements", Action.X);
    rule(0x0040, 0x1005, "RequestedProcedureLocation", Action.X);
    rule(0x0040, 0x1010, "NamesOfIntendedRecipientsOfResults", Action.X);
    rule(0x0040, 0x1011, "IntendedRecipientsOfResultsIdentificationSequence", Action.X);
    rule(0x0040, 0x1101, "PersonIdentificationCodeSequence", Action.X);
    rule(0x0040, 0x1102, "PersonAddress", Action.X);
    rule(0x0040, 0x1103, "PersonTelephoneNumbers", Action.X);
    rule(0x0040, 0x1400, "RequestedProcedureComments", Action.X);
    rule(0x0040, 0x2001, "ReasonForTheImagingServiceRequest", Action.X);
    rule(0x0040, 0x2008, "OrderEnteredBy", Action.X);
    rule(0x0040, 0x2009, "OrderEntererLocation", Action.X);
    rule(0x0040, 0x2010, "OrderCallbackPhoneNumber", Action.X);
    rule(0x0040, 0x2016, "PlacerOrderNumberImagingServiceRequest", Action.Z);
    rule(0x0040, 0x2017, "FillerOrderNumberImagingServiceRequest", Action.Z);
    rule(0x0040, 0x2400, "ImagingServiceRequestComments", Action.X);
    rule(0x0040, 0x3001, "ConfidentialityConstraintOnPatientDataDescription", Action.X);
    rule(0x0040, 0x4025, "ScheduledStationNameCodeSequence", Action.X);
    rule(0x0040, 0x4027, "ScheduledStationGeographicLocationCodeSequence", Action.X);
    rule(0x0040, 0x4028, "PerformedStationNameCodeSequence", Action.X);
    rule(0x0040, 0x4030, "PerformedStationGeographicLocationCodeSequence", Action.X);
    rule(0x0040, 0x4034, "ScheduledHumanPerformersSequence", Action.X);
    rule(0x0040, 0x4035, "ActualHumanPerformersSequence", Action.X);
    rule(0x0040, 0x4036, "HumanPerformerOrganization", Action.X);
    rule(0x0040, 0x4037, "HumanPerformerName", Action.X);
    // Equipment, operators and institution
    rule(0x0008, 0x0080, "InstitutionName", Action.Z);
    rule(0x0008, 0x0081, "InstitutionAddress", Action.X);
    rule(0x0008, 0x0082, "InstitutionCodeSequence", Action.Z);
    rule(0x0008, 0x1010, "StationName", Action.Z);
    rule(0x0008, 0x1040, "InstitutionalDepartmentName", Action.X);
    rule(0x0008, 0x1050, "PerformingPhysicianName", Action.X);
    rule(0x0008, 0x1052, "PerformingPhysicianIdentificationSequence", Action.X);
    rule(0x0008, 0x1070, "OperatorsName", Action.Z);
    rule(0x0008, 0x1072, "OperatorIdentificationSequence", Action.X);
    rule(0x0018, 0x1000, "DeviceSerialNumber", Action.Z);
    rule(0x0018, 0x1004, "PlateID", Action.X);
    rule(0x0018, 0x1005, "GeneratorID", Action.X);
    rule(0x0018, 0x1007, "CassetteID", Action.X);
    rule(0x0018, 0x1008, "GantryID", Action.X);
    rule(0x0018, 0x700A, "DetectorID", Action.X);
    rule(0x0018, 0x1200, "DateOfLastCalibration", Action.X);
    rule(0x0018, 0x1201, "TimeOfLastCalibration", Action.X);
    rule(0x0018, 0x700C, "DateOfLastDetectorCalibration", Action.X);
    rule(0x0018, 0x700E, "TimeOfLastDetectorCalibration", Action.X);
    rule(0x0020, 0x3401, "ModifyingDeviceID", Action.X);
    rule(0x0020, 0x3404, "ModifyingDeviceManufacturer", Action.X);
    rule(0x0020, 0x3406, "ModifiedImageDescription", Action.X);
    // Series, acquisition and image dates, descriptions and comments
    rule(0x0008, 0x0012, "InstanceCreationDate", Action.X);
    rule(0x0008, 0x0013, "InstanceCreationTime", Action.Z);
    rule(0x0008, 0x0021, "SeriesDate", Action.X);
    rule(0x0008, 0x0031, "SeriesTime", Action.X);
    rule(0x0008, 0x0022, "AcquisitionDate", Action.Z);
    rule(0x0008, 0x0032, "AcquisitionTime", Action.Z);
    rule(0x0008, 0x002A, "AcquisitionDateTime", Action.Z);
    rule(0x0008, 0x0023, "ContentDate", Action.Z);
    rule(0x0008, 0x0033, "ContentTime", Action.Z);
    rule(0x0008, 0x0024, "OverlayDate", Action.X);
    rule(0x0008, 0x0034, "OverlayTime", Action.X);
    rule(0x0008, 0x0025, "CurveDate", Action.X);
    rule(0x0008, 0x0035, "CurveTime", Action.X);
    rule(0x0008, 0x0201, "TimezoneOffsetFromUTC", Action.X);
    rule(0x0018, 0x1012, "DateOfSecondaryCapture", Action.X);
    rule(0x0018, 0x1014, "TimeOfSecondaryCapture", Action.X);
    rule(0x0018, 0x9074, "FrameAcquisitionDateTime", Action.X);
    rule(0x0018, 0x9151, "FrameReferenceDateTime", Action.X);
    rule(0x0008, 0x103E, "SeriesDescription", Action.X);
    rule(0x0008, 0x2111, "DerivationDescription", Action.X);
    rule(0x0008, 0x4000, "IdentifyingComments", Action.X);
    rule(0x0018, 0x0010, "ContrastBolusAgent", Action.Z);
    rule(0x0018, 0x1030, "ProtocolName", Action.X);
    rule(0x0018, 0x1400, "AcquisitionDeviceProcessingDescription", Action.X);
    rule(0x0018, 0x4000, "AcquisitionComments", Action.X);
    rule(0x0018, 0x9424, "AcquisitionProtocolDescription", Action.X);
    rule(0x0018, 0xA003, "ContributionDescription", Action.X);
    rule(0x0020, 0x4000, "ImageComments", Action.X);
    rule(0x0020, 0x9158, "FrameComments", Action.X);
    rule(0x0028, 0x4000, "ImagePresentationComments", Action.X);
    rule(0x0088, 0x0200, "IconImageSequence", Action.X);
    rule(0x0088, 0x0904, "TopicTitle", Action.X);
    rule(0x0088, 0x0906, "TopicSubject", Action.X);
    rule(0x0088, 0x0910, "TopicAuthor", Action.X);
    rule(0x0088, 0x0912, "TopicKeywords", Action.X);
    rule(0x2030, 0x0020, "TextString", Action.X);
    rule(0x4000, 0x4000, "TextComments", Action.X);
    rule(0x4008, 0x0042, "ResultsIDIssuer", Action.X);
    rule(0x4008, 0x0102, "InterpretationRecorder", Action.X);
    rule(0x4008, 0x010A, "InterpretationTranscriber", Action.X);
    rule(0x4008, 0x010B, "InterpretationText", Action.X);
    rule(0x4008, 0x010C, "InterpretationAuthor", Action.X);
    rule(0x4008, 0x0111, "InterpretationApproverSequence", Action.X);
    rule(0x4008, 0x0114, "PhysicianApprovingInterpretation", Action.X);
    rule(0x4008, 0x0115, "InterpretationDiagnosisDescription", Action.X);
    rule(0x4008, 0x0118, "ResultsDistributionListSequence", Action.X);
    rule(0x4008, 0x0119, "DistributionName", Action.X);
    rule(0x4008, 0x011A, "DistributionAddress", Action.X);
    rule(0x4008, 0x0202, "InterpretationIDIssuer", Action.X);
    rule(0x4008, 0x0300, "Impressions", Action.X);
    rule(0x4008, 0x4000, "ResultsComments", Action.X);
    // Structured content, observers and signatures
    rule(0x0040, 0xA073, "VerifyingObserverSequence", Action.X);
    rule(0x0040, 0xA075, "VerifyingObserverName", Action.D);
    rule(0x0040, 0xA027, "VerifyingOrganization", Action.X);
    rule(0x0040, 0xA088, "VerifyingObserverIdentificationCodeSequence", Action.Z);
    rule(0x0040, 0xA078, "AuthorObserverSequence", Action.X);
    rule(0x0040, 0xA07A, "ParticipantSequence", Action.X);
    rule(0x0040, 0xA07C, "CustodialOrganizationSequence", Action.X);
    rule(0x0040, 0xA082, "ParticipationDateTime", Action.X);
    rule(0x0040, 0xA120, "DateTime", Action.D);
    rule(0x0040, 0xA121, "Date", Action.D);
    rule(0x0040, 0xA122, "Time", Action.D);
    rule(0x0040, 0xA123, "PersonName", Action.D);
    rule(0x0040, 0xA730, "ContentSequence", Action.X);
    rule(0x0070, 0x0001, "GraphicAnnotationSequence", Action.X);
    rule(0x0070, 0x0084, "ContentCreatorName", Action.Z);
    rule(0x0070, 0x0086, "ContentCreatorIdentificationCodeSequence", Action.X);
    rule(0x300E, 0x0008, "ReviewerName", Action.Z);
    rule(0x0400, 0x0100, "DigitalSignatureUID", Action.X);
    rule(0x0400, 0x0402, "ReferencedDigitalSignatureSequence", Action.X);
    rule(0x0400, 0x0403, "ReferencedSOPInstanceMACSequence", Action.X);
    rule(0x0400, 0x0404, "MAC", Action.X);
    rule(0x0400, 0x0550, "ModifiedAttributesSequence", Action.X);
    rule(0x0400, 0x0561, "OriginalAttributesSequence", Action.X);
    rule(0xFFFA, 0xFFFA, "DigitalSignaturesSequence", Action.X);
    rule(0xFFFC, 0xFFFC, "DataSetTrailingPadding", Action.X);
    // UIDs: replaced, the same input by the same output within a run
    rule(0x0002, 0x0003, "MediaStorageSOPInstanceUID", Action.U);
    rule(0x0008, 0x0014, "InstanceCreatorUID", Action.U);
    rule(0x0008, 0x0018, "SOPInstanceUID", Action.U);
    rule(0x0008, 0x0058, "FailedSOPInstanceUIDList", Action.U);
    rule(0x0008, 0x010D, "ContextGroupExtensionCreatorUID", Action.U);
    rule(0x0008, 0x1155, "ReferencedSOPInstanceUID", Action.U);
    rule(0x0008, 0x1195, "TransactionUID", Action.U);
    rule(0x0008, 0x3010, "IrradiationEventUID", Action.U);
    rule(0x0008, 0x9123, "CreatorVersionUID", Action.U);
    rule(0x0004, 0x1511, "ReferencedSOPInstanceUIDInFile", Action.U);
    rule(0x0018, 0x1002, "DeviceUID", Action.U);
    rule(0x0020, 0x000D, "StudyInstanceUID", Action.U);
    rule(0x0020, 0x000E, "SeriesInstanceUID", Action.U);
    rule(0x0020, 0x0052, "FrameOfReferenceUID", Action.U);
    rule(0x0020, 0x0200, "SynchronizationFrameOfReferenceUID", Action.U);
    rule(0x0020, 0x9161, "ConcatenationUID", Action.U);
    rule(0x0020, 0x9164, "DimensionOrganizationUID", Action.U);
    rule(0x0028, 0x1214, "LargePaletteColorLookupTableUID", Action.U);
    rule(0x0040, 0x4023, "ReferencedGeneralPurposeScheduledProcedureStepTransactionUID", Action.U);
    rule(0x0040, 0xA124, "UID", Action.U);
    rule(0x0040, 0xDB0C, "TemplateExtensionOrganizationUID", Action.U);
    rule(0x0040, 0xDB0D, "TemplateExtensionCreatorUID", Action.U);
    rule(0x0070, 0x031A, "FiducialUID", Action.U);
    rule(0x0088, 0x0140, "StorageMediaFileSetUID", Action.U);
    rule(0x3006, 0x0024, "ReferencedFrameOfReferenceUID", Action.U);
    rule(0x3006, 0x00C2, "RelatedFrameOfReferenceUID", Action.U);
    rule(0x300A, 0x0013, "DoseReferenceUID", Action.U);
    // References to other instances: kept, their UIDs replaced like the instances'
    rule(0x0008, 0x1140, "ReferencedImageSequence", Action.RECURSE);
    rule(0x0008, 0x2112, "SourceImageSequence", Action.RECURSE);
  }

  private ConfidentialityProfile() {}

  private static void rule(int group, int element, String keyword, Action action) {
    boolean temporal = keyword.endsWith("Date") || keyword.endsWith("Time") || keyword.endsWith("DateTime")
        || keyword.equals("TimezoneOffsetFromUTC");
    TABLE.put(new AttributeTag(group, element), new Rule(new AttributeTag(group, element), keyword, action,
        temporal && !NOT_LONGITUDINAL.contains(keyword)));
  }

  /** Every rule, in table order. */
  public static Map<AttributeTag, Rule> table() {
    return Collections.unmodifiableMap(TABLE);
  }

  /**
   * The action for {@code tag} under {@code options}: the table's, K for dates and times under the Full Dates option
   * (C under Modified Dates), K for patient characteristics under that option,
   * X for private attributes, overlay data and comments and curves, K for everything else.
   */
  public static Action action(AttributeTag tag, Options options) {
    Rule rule = TABLE.get(tag);
    if (rule != null) {
      if (rule.temporal() && (options.keepDates() || options.modifyDates())) {
        return options.keepDates() ? Action.K : Action.C;
      }
      return options.patientCharacteristics() && CHARACTERISTICS.contains(rule.keyword()) ? Action.K : rule.action();
    }
    int group = tag.getGroup();
    if (group % 2 == 1) {
      return Action.X;
    }
    if ((group & 0xFF00) == 0x6000 && (tag.getElement() == 0x3000 || tag.getElement() == 0x4000)) {
      return Action.X;
    }
    if ((group & 0xFF00) == 0x5000) {
      return Action.X;
    }
    return Action.K;
  }
}
