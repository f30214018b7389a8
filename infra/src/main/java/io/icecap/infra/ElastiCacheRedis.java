package io.icecap.infra;

import java.util.List;
import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * An ElastiCache for Redis replication group: a primary and a replica in another AZ with automatic
 * failover, TLS in transit, encryption at rest, and an AUTH token generated into Secrets Manager
 * (the secret's username is {@code default}, the user an AUTH token authenticates).
 */
final class ElastiCacheRedis extends Construct {

  private final Redis redis;

  ElastiCacheRedis(Construct scope, String id, String nodeType, Network network) {
    super(scope, id);
    Secret secret = Redis.secret(this, "Secret", "default", "Icecap ElastiCache AUTH token");
    CfnSubnetGroup subnetGroup =
        CfnSubnetGroup.Builder.create(this, "SubnetGroup")
            .description("Icecap ElastiCache subnets")
            .subnetIds(network.isolatedSubnetIds())
            .build();
    CfnReplicationGroup replicationGroup =
        CfnReplicationGroup.Builder.create(this, "ReplicationGroup")
            .replicationGroupDescription("Icecap catalog and transaction log")
            .engine("redis")
            .cacheNodeType(nodeType)
            .numCacheClusters(2)
            .automaticFailoverEnabled(true)
            .multiAzEnabled(true)
            .transitEncryptionEnabled(true)
            .atRestEncryptionEnabled(true)
            .authToken(secret.secretValueFromJson("password").unsafeUnwrap())
            .cacheSubnetGroupName(subnetGroup.getRef())
            .securityGroupIds(List.of(network.redisSecurityGroup().getSecurityGroupId()))
            .port(Network.REDIS_PORT)
            .build();
    redis = Redis.managed(replicationGroup.getAttrPrimaryEndPointAddress(), secret);
  }

  Redis redis() {
    return redis;
  }
}
