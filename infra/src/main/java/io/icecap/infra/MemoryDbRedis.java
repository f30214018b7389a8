package io.icecap.infra;

import java.util.List;
import java.util.Map;
import software.amazon.awscdk.services.memorydb.CfnACL;
import software.amazon.awscdk.services.memorydb.CfnCluster;
import software.amazon.awscdk.services.memorydb.CfnSubnetGroup;
import software.amazon.awscdk.services.memorydb.CfnUser;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * A MemoryDB cluster with TLS, one shard and one replica in another AZ, whose ACL admits one user
 * with a generated password kept in Secrets Manager. MemoryDB user, ACL, subnet group and cluster
 * names are unique per account and region, so they all take the name given (from the stack name).
 */
final class MemoryDbRedis extends Construct {

  // Icecap is the cluster's only tenant: its user may run any command on any key and channel.
  static final String ACCESS_STRING = "on ~* &* +@all";

  private final Redis redis;

  MemoryDbRedis(Construct scope, String id, String name, String nodeType, Network network) {
    super(scope, id);
    Secret secret =
        Redis.secret(this, "Secret", name, "Icecap MemoryDB user " + name + " and its password");
    CfnUser user =
        CfnUser.Builder.create(this, "User")
            .userName(name)
            .accessString(ACCESS_STRING)
            // untyped in the CDK: AuthenticationModeProperty would be written with camelCase keys
            .authenticationMode(
                Map.of(
                    "Type",
                    "password",
                    "Passwords",
                    List.of(secret.secretValueFromJson("password").unsafeUnwrap())))
            .build();
    CfnACL acl = CfnACL.Builder.create(this, "Acl").aclName(name).userNames(List.of(name)).build();
    acl.addResourceDependency(user);
    CfnSubnetGroup subnetGroup =
        CfnSubnetGroup.Builder.create(this, "SubnetGroup")
            .subnetGroupName(name)
            .description("Icecap MemoryDB subnets")
            .subnetIds(network.isolatedSubnetIds())
            .build();
    CfnCluster cluster =
        CfnCluster.Builder.create(this, "Cluster")
            .clusterName(name)
            .description("Icecap catalog and transaction log")
            .nodeType(nodeType)
            .numShards(1)
            .numReplicasPerShard(1)
            .tlsEnabled(true)
            .aclName(name)
            .subnetGroupName(name)
            .securityGroupIds(List.of(network.redisSecurityGroup().getSecurityGroupId()))
            .port(Network.REDIS_PORT)
            .build();
    cluster.addResourceDependency(acl);
    cluster.addResourceDependency(subnetGroup);
    redis = Redis.managed(cluster.getAttrClusterEndpointAddress(), secret);
  }

  Redis redis() {
    return redis;
  }
}
