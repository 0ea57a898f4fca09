package org.rheumalens.oversight;

import com.fasterxml.jackson.annotation.JsonProperty;

/** An input's out-of-distribution score, the gate's threshold, and whether it was flagged. */
public record OodScore(@JsonProperty("flagged") boolean flagged, @JsonProperty("score") double score,
    @JsonProperty("threshold") double threshold) {}
