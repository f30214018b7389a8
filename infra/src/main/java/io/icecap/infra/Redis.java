package io.icecap.infra;

import static java.util.Objects.requireNonNull;

import java.util.Optional;
import software.amazon.awscdk.services.secretsmanager.ISecret;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.amazon.awscdk.services.secretsmanager.SecretStringGenerator;
import software.constructs.Construct;

/**
 * The Redis the worker function connects to.
 *
 * @param uri what ICECAP_REDIS_URI says, such as {@code rediss://<endpoint>:6379}
 * @param endpoint the host name, or the URI itself for an external Redis
 * @param secret the secret holding {@code {"username": ..., "password": ...}}; empty for an
 *     external Redis
 */
record Redis(String uri, String endpoint, Optional<ISecret> secret) {

  Redis {
    requireNonNull(uri, "uri is null");
    requireNonNull(endpoint, "endpoint is null");
    requireNonNull(secret, "secret is null");
  }

  /** A Redis the stack does not create: the handler connects to the URI as it is. */
  static Redis external(String uri) {
    return new Redis(uri, uri, Optional.empty());
  }

  /** A TLS endpoint of a managed Redis, authenticated with the secret's user and password. */
  static Redis managed(String host, ISecret secret) {
    return new Redis("rediss://" + host + ":" + Network.REDIS_PORT, host, Optional.of(secret));
  }

  /**
   * A secret whose string is {@code {"username": "<username>", "password": "<generated>"}}. The
   * password has no punctuation: ElastiCache AUTH tokens refuse some ({@code /}, {@code "} and
   * {@code @}).
   */
  static Secret secret(Construct scope, String id, String username, String description) {
    return Secret.Builder.create(scope, id)
        .description(description)
        .generateSecretString(
            SecretStringGenerator.builder()
                .secretStringTemplate("{\"username\":\"" + username + "\"}")
                .generateStringKey("password")
                .excludePunctuation(true)
                .passwordLength(32)
                .build())
        .build();
  }
}
