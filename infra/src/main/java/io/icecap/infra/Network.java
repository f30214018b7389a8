package io.icecap.infra;

import java.util.List;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.GatewayVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpoint;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointAwsService;
import software.amazon.awscdk.services.ec2.InterfaceVpcEndpointOptions;
import software.amazon.awscdk.services.ec2.Port;
import software.amazon.awscdk.services.ec2.SecurityGroup;
import software.amazon.awscdk.services.ec2.SubnetConfiguration;
import software.amazon.awscdk.services.ec2.SubnetSelection;
import software.amazon.awscdk.services.ec2.SubnetType;
import software.amazon.awscdk.services.ec2.Vpc;
import software.constructs.Construct;

/**
 * The private network of a managed Redis: two AZs of isolated subnets (no NAT, no internet
 * gateway), an S3 gateway endpoint and a Secrets Manager interface endpoint, and the security
 * groups that let only the worker function and holders of the client group reach Redis.
 */
final class Network extends Construct {

  static final int REDIS_PORT = 6379;

  private final Vpc vpc;
  private final SecurityGroup functionSecurityGroup;
  private final SecurityGroup clientSecurityGroup;
  private final SecurityGroup redisSecurityGroup;

  Network(Construct scope, String id) {
    super(scope, id);
    vpc =
        Vpc.Builder.create(this, "Vpc")
            .maxAzs(2)
            .natGateways(0)
            .subnetConfiguration(
                List.of(
                    SubnetConfiguration.builder()
                        .name("isolated")
                        .subnetType(SubnetType.PRIVATE_ISOLATED)
                        .cidrMask(24)
                        .build()))
            .build();
    vpc.addGatewayEndpoint(
        "S3", GatewayVpcEndpointOptions.builder().service(GatewayVpcEndpointAwsService.S3).build());

    // Egress stays open: without a NAT or internet gateway it reaches only the VPC and endpoints,
    // and S3's gateway endpoint has no address range a rule could name.
    functionSecurityGroup =
        SecurityGroup.Builder.create(this, "FunctionSecurityGroup")
            .vpc(vpc)
            .description("Icecap worker function")
            .allowAllOutbound(true)
            .build();
    clientSecurityGroup =
        SecurityGroup.Builder.create(this, "ClientSecurityGroup")
            .vpc(vpc)
            .description("Attach to Icecap clients in this VPC to reach Redis and Secrets Manager")
            .allowAllOutbound(true)
            .build();
    redisSecurityGroup =
        SecurityGroup.Builder.create(this, "RedisSecurityGroup")
            .vpc(vpc)
            .description("Icecap Redis: reachable from the worker function and Icecap clients")
            .allowAllOutbound(false)
            .build();
    redisSecurityGroup.addIngressRule(
        functionSecurityGroup, Port.tcp(REDIS_PORT), "Redis from the Icecap worker function");
    redisSecurityGroup.addIngressRule(
        clientSecurityGroup, Port.tcp(REDIS_PORT), "Redis from Icecap clients");

    InterfaceVpcEndpoint secretsManager =
        vpc.addInterfaceEndpoint(
            "SecretsManager",
            InterfaceVpcEndpointOptions.builder()
                .service(InterfaceVpcEndpointAwsService.SECRETS_MANAGER)
                .privateDnsEnabled(true)
                .open(false)
                .build());
    secretsManager.getConnections().allowDefaultPortFrom(functionSecurityGroup);
    secretsManager.getConnections().allowDefaultPortFrom(clientSecurityGroup);
  }

  Vpc vpc() {
    return vpc;
  }

  SubnetSelection isolatedSubnets() {
    return SubnetSelection.builder().subnetType(SubnetType.PRIVATE_ISOLATED).build();
  }

  List<String> isolatedSubnetIds() {
    return vpc.selectSubnets(isolatedSubnets()).getSubnetIds();
  }

  SecurityGroup functionSecurityGroup() {
    return functionSecurityGroup;
  }

  SecurityGroup clientSecurityGroup() {
    return clientSecurityGroup;
  }

  SecurityGroup redisSecurityGroup() {
    return redisSecurityGroup;
  }
}
