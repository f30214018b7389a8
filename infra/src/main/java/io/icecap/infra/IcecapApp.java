package io.icecap.infra;

import java.nio.file.Path;
import software.amazon.awscdk.App;
import software.amazon.awscdk.StackProps;

/**
 * The CDK app: one {@link IcecapStack} configured from context, for example {@code npx aws-cdk@2
 * deploy -c redis=elasticache -c architecture=arm64}. cdk.json runs it from the infra directory.
 */
public final class IcecapApp {

  private IcecapApp() {}

  public static void main(String[] args) {
    App app = new App();
    IcecapStackProps props;
    try {
      props =
          AppContext.props(key -> app.getNode().tryGetContext(key), Path.of("").toAbsolutePath());
    } catch (IllegalArgumentException e) {
      System.err.println("Cannot synthesize the Icecap stack: " + e.getMessage());
      System.exit(2);
      return;
    }
    Object stackName = app.getNode().tryGetContext("stackName");
    new IcecapStack(
        app,
        stackName == null ? "Icecap" : stackName.toString(),
        StackProps.builder()
            .description(
                "Icecap serverless: apply worker on Lambda, Redis "
                    + props.redis().contextName()
                    + ", S3 warehouse")
            .build(),
        props);
    app.synth();
  }
}
