package io.icecap.worker.function;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

/** Reads the Redis credentials from an AWS Secrets Manager secret. */
final class RedisSecret {
  private static final ObjectMapper JSON = new ObjectMapper();

  private RedisSecret() {}

  /** Fetches the secret and reads it; see {@link #parse}. */
  static ApplyFunction.RedisCredentials read(String arn) {
    String value;
    try (SecretsManagerClient client =
        SecretsManagerClient.builder()
            .httpClientBuilder(UrlConnectionHttpClient.builder())
            .build()) {
      value = client.getSecretValue(request -> request.secretId(arn)).secretString();
    } catch (SdkException e) {
      throw new IllegalStateException(
          "Cannot read the Redis credentials from the secret "
              + arn
              + " (ICECAP_REDIS_SECRET_ARN): "
              + e.getMessage()
              + "; check that it exists and that the function's role may read it",
          e);
    }
    return parse(arn, value);
  }

  /**
   * Reads a secret's string: {@code {"username": "...", "password": "..."}} (the username may be
   * left out) or a bare password.
   */
  static ApplyFunction.RedisCredentials parse(String arn, String value) {
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          "The secret " + arn + " (ICECAP_REDIS_SECRET_ARN) has no string value");
    }
    String trimmed = value.trim();
    if (!trimmed.startsWith("{")) {
      return new ApplyFunction.RedisCredentials(null, trimmed);
    }
    JsonNode node;
    try {
      node = JSON.readTree(trimmed);
    } catch (IOException e) {
      throw new IllegalStateException(
          "The secret "
              + arn
              + " (ICECAP_REDIS_SECRET_ARN) is malformed JSON; store"
              + " {\"username\": \"...\", \"password\": \"...\"} or a bare password",
          e);
    }
    JsonNode password = node.get("password");
    JsonNode username = node.get("username");
    if (password == null || !password.isTextual() || password.asText().isEmpty()) {
      throw new IllegalStateException(
          "The secret " + arn + " (ICECAP_REDIS_SECRET_ARN) has no string 'password' field");
    }
    if (username != null && !username.isNull() && !username.isTextual()) {
      throw new IllegalStateException(
          "The secret " + arn + " (ICECAP_REDIS_SECRET_ARN) has a 'username' that is not a string");
    }
    return new ApplyFunction.RedisCredentials(
        username == null || username.isNull() ? null : username.asText(), password.asText());
  }
}
