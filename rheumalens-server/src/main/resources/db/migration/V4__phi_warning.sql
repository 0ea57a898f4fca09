-- What a person must check before an image leaves the store: text burned into its pixels (the DICOM attribute
-- Burned In Annotation YES, or character-like marks along the image's edges). Null when nothing was seen.
ALTER TABLE images ADD COLUMN phi_warning VARCHAR(1000);
