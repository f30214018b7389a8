package io.icecap.testing;

import io.icecap.testing.S3ServerExtension.Backend;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The S3 contract against LocalStack in Docker. Without a reachable Docker engine the whole class
 * is skipped with a message saying so.
 */
class TestingLocalStackIT extends S3EndpointContract {

  @RegisterExtension static final S3ServerExtension S3 = new S3ServerExtension(Backend.LOCALSTACK);

  @Override
  S3Endpoint endpoint() {
    return S3.server();
  }
}
