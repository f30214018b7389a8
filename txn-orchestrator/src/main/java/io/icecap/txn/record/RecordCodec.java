package io.icecap.txn.record;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Encodes log records, results and replica entries as JSON. */
public final class RecordCodec {
  private static final ObjectMapper JSON =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxStringLength(TransactionRecord.MAX_CHARS)
                          .maxNestingDepth(64)
                          .build())
                  .build())
          .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  private RecordCodec() {}

  /** The JSON form of a value. */
  public static String encode(Object value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new IllegalArgumentException("Cannot encode " + value.getClass().getSimpleName(), e);
    }
  }

  /**
   * Reads a value from its JSON form.
   *
   * @param what what is being read, for the message ("record 12 of db.orders")
   * @throws IllegalStateException when the text is not a valid encoding
   */
  public static <T> T decode(String text, Class<T> type, String what) {
    if (text == null) {
      throw new IllegalStateException("Cannot read " + what + ": it is missing");
    }
    try {
      T value = JSON.readValue(text, type);
      if (value == null) {
        throw new IllegalStateException("Cannot read " + what + ": it is JSON null");
      }
      return value;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(
          "Cannot read "
              + what
              + ": it is not a valid "
              + type.getSimpleName()
              + " ("
              + e.getOriginalMessage()
              + ")",
          e);
    }
  }
}
