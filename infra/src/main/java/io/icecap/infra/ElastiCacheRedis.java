package io.icecap.infra;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;
import software.amazon.awscdk.services.elasticache.CfnParameterGroup;
import software.amazon.awscdk.services.elasticache.CfnReplicationGroup;
import software.amazon.awscdk.services.elasticache.CfnSubnetGroup;
import software.amazon.awscdk.services.secretsmanager.Secret;
import software.constructs.Construct;

/**
 * An ElastiCache for Redis replication group with cluster mode disabled, as Icecap's catalog needs
 * (its create, drop and rename scripts span two hash slots, which Redis Cluster refuses): a primary
 * and a replica in another AZ with Multi-AZ automatic failover, TLS in transit, encryption at rest,
 * and an AUTH token generated into Secrets Manager (the secret's username is {@code default}, the
 * user an AUTH token authenticates). Its parameter group never evicts keys: a catalog whose keys
 * are evicted loses tables.
 *
 * <p>Replication is asynchronous, and ElastiCache offers no append-only file with Multi-AZ: a
 * failover can lose the last writes the primary acknowledged.
 */
final class ElastiCacheRedis extends Construct {

  static final String ENGINE_VERSION = "7.1";
  static final String PARAMETER_GROUP_FAMILY = "redis7";
  // sorted, so that every synthesis writes the same template
  static final SortedMap<String, String> PARAMETERS =
      Collections.unmodifiableSortedMap(
          new TreeMap<>(Map.of("cluster-enabled", "no", "maxmemory-policy", "noeviction")));

  private final Redis redis;

  ElastiCacheRedis(Construct scope, String id, String nodeType, Network network) {
    super(scope, id);
    Secret secret = Redis.secret(this, "Secret", "default", "Icecap ElastiCache AUTH token");
    CfnSubnetGroup subnetGroup =
        CfnSubnetGroup.Builder.create(this, "SubnetGroup")
            .description("Icecap ElastiCache subnets")
            .subnetIds(network.isolatedSubnetIds())
            .build();
    CfnParameterGroup parameterGroup =
        CfnParameterGroup.Builder.create(this, "ParameterGroup")
            .description("Icecap Redis: cluster mode disabled, no eviction")
            .cacheParameterGroupFamily(PARAMETER_GROUP_FAMILY)
            .properties(PARAMETERS)
            .build();
    CfnReplicationGroup replicationGroup =
        CfnReplicationGroup.Builder.create(this, "ReplicationGroup")
            .replicationGroupDescription("Icecap catalog and transaction log")
            .engine("redis")
            .engineVersion(ENGINE_VERSION)
            .cacheParameterGroupName(parameterGroup.getRef())
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
