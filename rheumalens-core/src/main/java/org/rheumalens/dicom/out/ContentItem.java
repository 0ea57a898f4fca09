package org.rheumalens.dicom.out;

import com.pixelmed.dicom.AttributeList;
import com.pixelmed.dicom.CodedSequenceItem;
import com.pixelmed.dicom.DicomException;
import com.pixelmed.dicom.SequenceAttribute;
import com.pixelmed.dicom.TagFromName;
import java.math.BigDecimal;
import java.math.MathContext;

/**
 * One SR content item (PS3.3 C.17.3) built on a PixelMed attribute list: a node of the document tree whose children
 * go into its Content Sequence. Only the value types a measurement report needs.
 */
final class ContentItem {

  /** A coded concept: value, scheme, meaning (SH, SH, LO: clipped to 16, 16 and 64 characters). */
  record Code(String value, String scheme, String meaning) {

    CodedSequenceItem item() throws DicomException {
      return new CodedSequenceItem(DerivedObject.clip(value, 16), scheme, DerivedObject.clip(meaning, 64));
    }
  }

  private final AttributeList list;

  private ContentItem(AttributeList list) {
    this.list = list;
  }

  /** The document root: the attributes go straight into the dataset. */
  static ContentItem root(AttributeList dataset, Code concept, String templateId) throws DicomException {
    ContentItem root = new ContentItem(dataset);
    root.put(TagFromName.ValueType, "CONTAINER");
    root.concept(concept);
    root.put(TagFromName.ContinuityOfContent, "SEPARATE");
    AttributeList template = new AttributeList();
    DerivedObject.put(template, TagFromName.MappingResource, "DCMR");
    DerivedObject.put(template, TagFromName.TemplateIdentifier, templateId);
    SequenceAttribute seq = new SequenceAttribute(TagFromName.ContentTemplateSequence);
    seq.addItem(template);
    dataset.put(seq);
    return root;
  }

  ContentItem container(String relationship, Code concept) throws DicomException {
    ContentItem c = child(relationship, "CONTAINER", concept);
    c.put(TagFromName.ContinuityOfContent, "SEPARATE");
    return c;
  }

  ContentItem code(String relationship, Code concept, Code value) throws DicomException {
    ContentItem c = child(relationship, "CODE", concept);
    c.sequence(TagFromName.ConceptCodeSequence, value.item().getAttributeList());
    return c;
  }

  ContentItem text(String relationship, Code concept, String value) throws DicomException {
    ContentItem c = child(relationship, "TEXT", concept);
    c.put(TagFromName.TextValue, value);
    return c;
  }

  ContentItem personName(String relationship, Code concept, String name) throws DicomException {
    ContentItem c = child(relationship, "PNAME", concept);
    c.put(TagFromName.PersonName, name);
    return c;
  }

  ContentItem uid(String relationship, Code concept, String uid) throws DicomException {
    ContentItem c = child(relationship, "UIDREF", concept);
    c.put(TagFromName.UID, uid);
    return c;
  }

  ContentItem num(String relationship, Code concept, double value, Code unit) throws DicomException {
    ContentItem c = child(relationship, "NUM", concept);
    AttributeList measured = new AttributeList();
    DerivedObject.put(measured, TagFromName.NumericValue, decimalString(value));
    SequenceAttribute units = new SequenceAttribute(TagFromName.MeasurementUnitsCodeSequence);
    units.addItem(unit.item().getAttributeList());
    measured.put(units);
    c.sequence(TagFromName.MeasuredValueSequence, measured);
    return c;
  }

  /** An IMAGE item; {@code concept} may be null (the Image Library's entries have none). */
  ContentItem image(String relationship, Code concept, String sopClassUid, String sopInstanceUid) throws DicomException {
    ContentItem c = child(relationship, "IMAGE", concept);
    c.sequence(TagFromName.ReferencedSOPSequence, DerivedObject.sopReference(sopClassUid, sopInstanceUid));
    return c;
  }

  private ContentItem child(String relationship, String valueType, Code concept) throws DicomException {
    ContentItem c = new ContentItem(new AttributeList());
    c.put(TagFromName.RelationshipType, relationship);
    c.put(TagFromName.ValueType, valueType);
    if (concept != null) {
      c.concept(concept);
    }
    SequenceAttribute content = (SequenceAttribute) list.get(TagFromName.ContentSequence);
    if (content == null) {
      content = new SequenceAttribute(TagFromName.ContentSequence);
      list.put(content);
    }
    content.addItem(c.list);
    return c;
  }

  private void concept(Code concept) throws DicomException {
    sequence(TagFromName.ConceptNameCodeSequence, concept.item().getAttributeList());
  }

  private void sequence(com.pixelmed.dicom.AttributeTag tag, AttributeList item) {
    SequenceAttribute seq = new SequenceAttribute(tag);
    seq.addItem(item);
    list.put(seq);
  }

  private void put(com.pixelmed.dicom.AttributeTag tag, String value) throws DicomException {
    DerivedObject.put(list, tag, value);
  }

  /** A DS value (16 characters at most): six significant digits, plain notation. */
  static String decimalString(double value) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException("a measurement must be finite, not " + value);
    }
    String s = new BigDecimal(value).round(new MathContext(6)).stripTrailingZeros().toPlainString();
    return s.length() <= 16 ? s : String.format(java.util.Locale.ROOT, "%.6e", value);
  }
}
