package io.icecap.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.opentest4j.TestAbortedException;

/** Runs {@link TestingLocalStackIT} in a nested engine to check how it behaves without Docker. */
class LocalStackSkipIT {

  @Test
  void localStackTestsAreSkippedWithAClearMessageWhenDockerIsUnreachable() {
    assumeFalse(
        TestingLocalStack.isDockerAvailable(),
        "Docker is reachable here, so TestingLocalStackIT really runs instead of skipping");

    EngineExecutionResults results =
        EngineTestKit.engine("junit-jupiter")
            .selectors(selectClass(TestingLocalStackIT.class))
            .execute();

    assertThat(results.containerEvents().failed().count()).isZero();
    assertThat(results.testEvents().failed().count()).isZero();
    assertThat(results.testEvents().succeeded().count()).isZero();
    assertThat(results.testEvents().aborted().list())
        .hasSizeGreaterThanOrEqualTo(5)
        .allSatisfy(
            event ->
                assertThat(abortCause(event))
                    .isInstanceOf(TestAbortedException.class)
                    .hasMessageContaining(
                        "LocalStack tests need a Docker engine; none is reachable here (")
                    .hasMessageContaining("icecap.s3.backend"));
  }

  @Test
  void startingLocalStackWithoutDockerFailsFastAndSaysWhy() {
    assumeFalse(TestingLocalStack.isDockerAvailable(), "Docker is reachable here");

    org.assertj.core.api.Assertions.assertThatThrownBy(TestingLocalStack::start)
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("needs a Docker engine");
  }

  private static Throwable abortCause(Event event) {
    return event
        .getPayload(org.junit.platform.engine.TestExecutionResult.class)
        .flatMap(org.junit.platform.engine.TestExecutionResult::getThrowable)
        .orElseThrow();
  }
}
